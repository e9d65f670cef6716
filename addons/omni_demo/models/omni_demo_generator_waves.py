# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
from odoo import Command, api, models

# Open deliveries of the central DC left for its wave rules: (lines, units per line,
# priority), in arrival order
WAVE_ORDERS = [
    (1, 1, False),
    (3, 1, False),
    (1, 1, False),
    (2, 2, True),
    (1, 1, False),
    (4, 1, False),
    (1, 1, False),
    (2, 1, False),
    (1, 1, True),
    (3, 2, False),
    (1, 1, False),
    (2, 1, False),
]
PICK_FACES = 8


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [
            self._generate_pick_faces,
            self._generate_wave_rules,
        ]

    @api.model
    def _demo_external_ids(self, dataset):
        return {
            **super()._demo_external_ids(dataset),
            **{
                f"demo_wave_rule_{index}": rule
                for index, rule in enumerate(dataset.get("wave_rules", []), start=1)
            },
        }

    # Pick faces -------------------------------------------------------------

    @api.model
    def _generate_pick_faces(self, dataset):
        """The most stocked bins of the central DC become pick faces of their product,
        replenished from a bin of the back half of the last aisle."""
        bins = dataset.get("pick_bins")
        if not bins:
            dataset["pick_faces"] = self.env["omni.pick.face"]
            return
        quants = self.env["stock.quant"].search(
            [("location_id", "in", bins.ids), ("quantity", ">", 4)],
            order="quantity desc, id",
        )
        last_aisle = max(bins.mapped("omni_aisle"))
        reserves = bins.filtered(
            lambda location: location.omni_aisle == last_aisle and location.omni_level == 2
        )
        faces, seen = [], set()
        for quant in quants:
            if len(faces) >= PICK_FACES:
                break
            reserve = reserves[len(faces) % len(reserves)]
            if quant.product_id in seen or quant.location_id == reserve:
                continue
            seen.add(quant.product_id)
            faces.append(self._prepare_pick_face_vals(quant, reserve))
        dataset["pick_faces"] = self.env["omni.pick.face"].create(faces)
        self._stock_pick_face_reserves(dataset)

    @api.model
    def _stock_pick_face_reserves(self, dataset):
        """Every other face has stock in reserve; the first two faces are set to need
        more than they hold, so that one is being replenished and the other, with an
        empty reserve, shows as short."""
        faces = dataset["pick_faces"]
        vals_list = [
            {
                "product_id": face.product_id.id,
                "location_id": face.reserve_location_id.id,
                "quantity": 2 * face.max_qty,
            }
            for face in faces[::2]
        ]
        self.env["stock.quant"].sudo().create(vals_list)
        for face in faces[:2]:
            face.write({"min_qty": face.qty_on_hand + 5, "max_qty": face.qty_on_hand + 40})
        faces[:2]._replenish()

    @api.model
    def _prepare_pick_face_vals(self, quant, reserve):
        # a face holds half of what the product has in its bin, at least 4 units
        maximum = max(int(quant.quantity // 2), 4)
        return {
            "location_id": quant.location_id.id,
            "product_id": quant.product_id.id,
            "reserve_location_id": reserve.id,
            "min_qty": max(maximum // 4, 1),
            "max_qty": maximum,
        }

    # Wave rules and waves ready to pick -------------------------------------

    @api.model
    def _prepare_wave_rule_vals(self, dataset, warehouse):
        base = {"warehouse_id": warehouse.id, "company_id": dataset["company"].id}
        return [
            {
                **base,
                "name": "Express orders",
                "sequence": 1,
                "order_type": "priority",
                "max_orders": 4,
                "totes": 4,
                "release_mode": "cutoff",
                "cutoff_time": 16.0,
                "release_lead_minutes": 120,
            },
            {
                **base,
                "name": "Single-unit orders",
                "sequence": 2,
                "order_type": "single_unit",
                "max_orders": 30,
                "max_units": 30,
                "release_mode": "fixed_times",
                "release_times": "08:00, 13:00",
            },
            {
                **base,
                "name": "Multi-line orders",
                "sequence": 3,
                "order_type": "multi_line",
                "max_lines": 12,
                "totes": 4,
                "release_mode": "fixed_times",
                "release_times": "07:30, 12:30",
            },
        ]

    @api.model
    def _generate_wave_rules(self, dataset):
        """Wave rules on the distribution centers; on the central DC, open deliveries of
        every kind released into waves ready to pick."""
        rules = self.env["omni.wave.rule"]
        for warehouse in dataset["distribution_centers"]:
            rules |= rules.create(self._prepare_wave_rule_vals(dataset, warehouse))
        dataset["wave_rules"] = rules
        central = dataset["distribution_centers"][:1]
        if not dataset.get("pick_bins") or not central:
            return
        pickings = self._generate_wave_orders(dataset, central)
        central_rules = rules.filtered(lambda rule: rule.warehouse_id == central)
        waves = self.env["stock.picking.batch"]
        for rule in central_rules:
            waves |= rule._release_waves()
        dataset["released_waves"] = waves
        dataset["wave_orders"] = pickings

    @api.model
    def _generate_wave_orders(self, dataset, warehouse):
        rng = dataset["rng"]
        stocked = (
            self.env["stock.quant"]
            .search([("location_id", "in", dataset["pick_bins"].ids), ("quantity", ">", 4)])
            .product_id
        )
        customers = self.env.ref("stock.stock_location_customers")
        vals_list = []
        for lines, units, priority in WAVE_ORDERS:
            products = stocked.browse(rng.sample(stocked.ids, min(lines, len(stocked))))
            vals_list.append(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": rng.choice(dataset["customers"]).id,
                    "priority": "1" if priority else "0",
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": customers.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.display_name,
                                "product_id": product.id,
                                "product_uom_qty": units,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": customers.id,
                            }
                        )
                        for product in products
                    ],
                }
            )
        pickings = self.env["stock.picking"].create(vals_list)
        pickings.action_confirm()
        pickings.action_assign()
        return pickings
