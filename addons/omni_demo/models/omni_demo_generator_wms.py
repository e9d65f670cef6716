# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
import math

from odoo import Command, api, models

# Sizes of the central distribution center's pick area, and the demo wave
WMS_PARAMS = {"wms_aisles": 8, "wms_bays": 10, "wms_levels": 2, "wms_wave_pickings": 5}
AISLE_SPACING = 3.0
BAY_WIDTH = 1.5


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [
            self._generate_pick_layout,
            self._generate_pick_stock,
            self._generate_wave,
            self._generate_warehouse_operators,
        ]

    @api.model
    def _load_demo(self):
        self._enable_storage_locations()
        return super()._load_demo()

    @api.model
    def _demo_external_ids(self, dataset):
        return {
            **super()._demo_external_ids(dataset),
            "demo_pick_layout": dataset["pick_layout"],
            "demo_wave": dataset["wave"],
            **{
                f"demo_warehouse_operator_{index}": user
                for index, user in enumerate(dataset["warehouse_operators"], start=1)
            },
        }

    @api.model
    def _enable_storage_locations(self):
        """Pick locations only show in transfers when storage locations are enabled."""
        if not self.env.user.has_group("stock.group_stock_multi_locations"):
            self.env["res.config.settings"].create({"group_stock_multi_locations": True}).execute()

    @api.model
    def _wms_params(self, dataset):
        return {**WMS_PARAMS, **dataset["params"]}

    # Layout and pick locations ---------------------------------------------

    @api.model
    def _aisle_label(self, number):
        """A, B, ... Z, AA, AB: the inverse of the layout's aisle numbering."""
        label = ""
        while number:
            number, remainder = divmod(number - 1, 26)
            label = chr(ord("A") + remainder) + label
        return label

    @api.model
    def _prepare_pick_layout_vals(self, dataset, warehouse):
        params = self._wms_params(dataset)
        length = params["wms_bays"] * BAY_WIDTH
        return {
            "warehouse_id": warehouse.id,
            "aisle_count": params["wms_aisles"],
            "aisle_length": length,
            "aisle_spacing": AISLE_SPACING,
            "bay_width": BAY_WIDTH,
            "has_middle_cross_aisle": True,
            "middle_cross_aisle_position": length / 2,
            # the packing area faces the middle of the front cross-aisle
            "depot_position": (params["wms_aisles"] - 1) * AISLE_SPACING / 2,
        }

    @api.model
    def _generate_pick_layout(self, dataset):
        """A layout for the central DC and its bins A-01-1 ..., placed from their names."""
        params = self._wms_params(dataset)
        warehouse = dataset["distribution_centers"][:1]
        layout = self.env["omni.warehouse.layout"].create(
            self._prepare_pick_layout_vals(dataset, warehouse)
        )
        dataset["pick_bins"] = self.env["stock.location"].create(
            [
                {
                    "name": f"{self._aisle_label(aisle)}-{bay:02d}-{level}",
                    "location_id": warehouse.lot_stock_id.id,
                    "usage": "internal",
                }
                for aisle in range(1, params["wms_aisles"] + 1)
                for bay in range(1, params["wms_bays"] + 1)
                for level in range(1, params["wms_levels"] + 1)
            ]
        )
        layout._assign_locations_from_pattern()
        dataset["pick_layout"] = layout

    # Stock in the bins ------------------------------------------------------

    @api.model
    def _generate_pick_stock(self, dataset):
        """Spread the central DC's stock over its bins at random (a product in one or two
        bins), re-reserving the transfers that already took stock there."""
        rng = dataset["rng"]
        warehouse = dataset["distribution_centers"][:1]
        root = warehouse.lot_stock_id
        reserved = (
            self.env["stock.move.line"]
            .search([("location_id", "=", root.id), ("state", "not in", ("done", "cancel"))])
            .picking_id
        )
        reserved.do_unreserve()
        quants = self.env["stock.quant"].search(
            [("location_id", "=", root.id), ("product_id", "in", dataset["products"].ids)]
        )
        bins = dataset["pick_bins"]
        vals_list = []
        for quant in quants:
            spots = rng.sample(bins.ids, 2 if rng.random() < 0.3 else 1)
            first = math.ceil(quant.quantity / len(spots))
            for spot, quantity in zip(spots, (first, quant.quantity - first), strict=False):
                vals_list.append(
                    {"product_id": quant.product_id.id, "location_id": spot, "quantity": quantity}
                )
        quants.sudo().unlink()
        self.env["stock.quant"].sudo().create([vals for vals in vals_list if vals["quantity"] > 0])
        if reserved:
            reserved.action_assign()

    # A wave to walk ---------------------------------------------------------

    @api.model
    def _prepare_wave_picking_vals(self, dataset, warehouse, products):
        rng = dataset["rng"]
        customers = self.env.ref("stock.stock_location_customers")
        return {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": rng.choice(dataset["customers"]).id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": customers.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom_qty": rng.randint(1, 2),
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": customers.id,
                    }
                )
                for product in products
            ],
        }

    @api.model
    def _generate_wave(self, dataset):
        """Deliveries from the central DC gathered in a wave, sequenced along its route."""
        rng = dataset["rng"]
        warehouse = dataset["distribution_centers"][:1]
        stocked = (
            self.env["stock.quant"]
            .search([("location_id", "in", dataset["pick_bins"].ids), ("quantity", ">", 2)])
            .product_id
        )
        pickings = self.env["stock.picking"].create(
            [
                self._prepare_wave_picking_vals(
                    dataset,
                    warehouse,
                    stocked.browse(rng.sample(stocked.ids, min(rng.randint(2, 5), len(stocked)))),
                )
                for _picking in range(self._wms_params(dataset)["wms_wave_pickings"])
            ]
        )
        pickings.action_confirm()
        pickings.action_assign()
        pickings.move_line_ids._add_to_wave(description=f"{dataset['prefix']} demo wave")
        dataset["wave"] = pickings.batch_id

    # Warehouse staff --------------------------------------------------------

    @api.model
    def _prepare_warehouse_operator_vals(self, dataset, warehouse):
        """An operator of ``warehouse``: login and password ``<prefix>-<code>-operator``,
        opening Odoo on Omni's overview (the waves, transfers and shipments to handle)."""
        login = f"{dataset['prefix']}-{warehouse.code}-operator".lower()
        return {
            "name": f"{warehouse.name} Operator",
            "login": login,
            "password": login,
            "email": f"{login}@example.com",
            "company_id": dataset["company"].id,
            "company_ids": [Command.set(dataset["company"].ids)],
            "groups_id": [Command.set(self.env.ref("omni_base.group_omni_warehouse_operator").ids)],
            "action_id": self.env.ref("omni_base.omni_dashboard_tile_action").id,
        }

    @api.model
    def _generate_warehouse_operators(self, dataset):
        """An operator for the central DC."""
        dataset["warehouse_operators"] = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    self._prepare_warehouse_operator_vals(dataset, warehouse)
                    for warehouse in dataset["distribution_centers"][:1]
                ]
            )
        )
