import base64

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.omni_base.tests.common import OmniCommon


class CostCommon(OmniCommon):
    """A distribution centre (CDC), a second one (CD2) and a store (CST) with their
    labour rates and standard times, a web channel taking 3 % + 0.30 per order, a box
    costing 0.80, a carrier, the Lamp (cost 20, sold 50) and the Rug (cost 40, sold
    100), and the accountants and store staff who read or must not read the costs.

    Rates: CDC 30/h, walking 60 m/min, 20 s a line, 6 s a unit, 90 s a parcel, 120 s
    to inspect a returned unit; CD2 36/h, 50 m/min, 30 s a line, 60 s a parcel; CST
    24/h and 10 minutes an order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["omni.routing.rule"].search([]).active = False
        cls.env["omni.carrier.rule"].search([]).active = False
        cls.company = cls.env.company
        cls.company.omni_carrier_rules_on_confirm = False
        cls.currency = cls.company.currency_id
        Warehouse = cls.env["stock.warehouse"]
        cls.dc = Warehouse.create(
            {
                "name": "Cost DC",
                "code": "CDC",
                "omni_cost_labour_rate": 30.0,
                "omni_cost_walk_speed": 60.0,
                "omni_cost_line_seconds": 20.0,
                "omni_cost_unit_seconds": 6.0,
                "omni_cost_parcel_seconds": 90.0,
                "omni_cost_inspection_seconds": 120.0,
            }
        )
        cls.dc2 = Warehouse.create(
            {
                "name": "Cost DC2",
                "code": "CD2",
                "omni_cost_labour_rate": 36.0,
                "omni_cost_walk_speed": 50.0,
                "omni_cost_line_seconds": 30.0,
                "omni_cost_parcel_seconds": 60.0,
            }
        )
        cls.hours = cls.env["resource.calendar"].create({"name": "Cost Store Hours"})
        cls.store = Warehouse.create(
            {
                "name": "Cost Store",
                "code": "CST",
                "omni_is_store": True,
                "omni_ship_from_store": True,
                "omni_click_collect": True,
                "omni_opening_hours_id": cls.hours.id,
                "omni_staff_ids": [Command.set(cls.user_store_staff.ids)],
                "omni_cost_labour_rate": 24.0,
                "omni_cost_store_order_minutes": 10.0,
            }
        )
        cls.channel = cls.env["crm.team"].create(
            {"name": "Cost Web", "omni_fee_percent": 3.0, "omni_fee_fixed": 0.30}
        )
        cls.box = cls.env["stock.package.type"].create(
            {"name": "Cost Box", "omni_cost_amount": 0.8}
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Cost prices", "currency_id": cls.currency.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Cost Customer", "email": "customer@example.com"}
        )
        cls.lamp = cls._product("Cost Lamp", 50.0, 20.0, 2.0)
        cls.rug = cls._product("Cost Rug", 100.0, 40.0, 12.0)
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Cost Carrier",
                "delivery_type": "fixed",
                "fixed_price": 5.0,
                "omni_invoice_format": "omni",
                "product_id": cls.env["product.product"]
                .create({"name": "Cost shipping", "type": "service"})
                .id,
            }
        )
        cls.accountant = new_test_user(
            cls.env, login="cost_accountant", groups="account.group_account_invoice"
        )
        cls.auditor = new_test_user(
            cls.env, login="cost_auditor", groups="account.group_account_readonly"
        )
        cls.chief_accountant = new_test_user(
            cls.env, login="cost_chief", groups="account.group_account_manager"
        )
        cls.other_currency = cls.env.ref(
            "base.EUR" if cls.currency != cls.env.ref("base.EUR") else "base.USD"
        )
        cls.other_currency.active = True
        # 2 units of the other currency for one of the company's.
        cls.env["res.currency.rate"].search(
            [("currency_id", "in", (cls.other_currency | cls.currency).ids)]
        ).unlink()
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.other_currency.id,
                "name": "2020-01-01",
                "rate": 2.0,
                "company_id": cls.company.id,
            }
        )
        cls.tracking_sequence = 0
        # Mails sent by the store's workflow (pickup codes) need a sender.
        cls.company.email = "costs@example.com"

    @classmethod
    def _product(cls, name, price, cost, weight):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "list_price": price,
                "standard_price": cost,
                "weight": weight,
                "taxes_id": False,
            }
        )

    def order(self, lines, warehouse=None, confirm=True, **vals):
        """An order of ``lines`` ([(product, quantity)] or [(product, quantity,
        warehouse)] for a line shipped from elsewhere), confirmed."""
        for line in lines:
            place = line[2] if len(line) > 2 else (warehouse or self.dc)
            self.env["stock.quant"]._update_available_quantity(line[0], place.lot_stock_id, line[1])
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "team_id": self.channel.id,
                "warehouse_id": (warehouse or self.dc).id,
                "pricelist_id": self.pricelist.id,
                "order_line": [
                    Command.create(
                        {"product_id": line[0].id, "product_uom_qty": line[1], "tax_id": False}
                    )
                    for line in lines
                ],
                **vals,
            }
        )
        for line, sale_line in zip(lines, order.order_line, strict=True):
            if len(line) > 2:
                sale_line.warehouse_id = line[2]
        if confirm:
            order.action_confirm()
        return order

    def picking_of(self, order, warehouse):
        return order.picking_ids.filtered(
            lambda picking: (
                picking.picking_type_id.warehouse_id == warehouse
                and picking.picking_type_code == "outgoing"
            )
        )

    def ship(self, picking, route_length=0.0, package_type=None, price=None, currency=None):
        """Validate ``picking`` (walked along ``route_length`` metres, packed in one
        package of ``package_type``) and give it a carrier label of ``price``."""
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        if package_type:
            picking.move_line_ids.result_package_id = self.env["stock.quant.package"].create(
                {"package_type_id": package_type.id}
            )
        store_order = picking.omni_store_order_ids
        if store_order.fulfilment == "collect":
            store_order.action_accept()
            store_order.action_ready()
            store_order._hand_over(store_order.pickup_code)
        else:
            picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        self.assertEqual(picking.state, "done")
        picking.omni_route_length = route_length
        if price is not None:
            return self.label(picking, price, currency)
        return self.env["omni.shipment"]

    def label(self, picking, price, currency=None, kind="outbound", state="done"):
        type(self).tracking_sequence += 1
        return (
            self.env["omni.shipment"]
            .sudo()
            .create(
                {
                    "name": f"COST-SHIP-{self.tracking_sequence}",
                    "kind": kind,
                    "picking_id": picking.id,
                    "carrier_id": self.carrier.id,
                    "company_id": picking.company_id.id,
                    "state": state,
                    "tracking_number": f"CT{self.tracking_sequence:06d}",
                    "price": price,
                    "currency_id": (currency or self.currency).id,
                }
            )
        )

    def cost(self, orders):
        self.env["omni.cost.service"]._cost_orders(orders.ids)
        return self.env["omni.order.cost"].search([("order_id", "in", orders.ids)])

    def postings(self, order):
        return self.env["omni.order.cost.line"].search([("order_id", "=", order.id)])

    def by_component(self, cost):
        return {
            "carrier": cost.amount_carrier,
            "picking": cost.amount_picking,
            "packing": cost.amount_packing,
            "store": cost.amount_store,
            "returns": cost.amount_returns,
            "channel_fee": cost.amount_channel_fee,
        }

    def import_invoice(
        self, rows, name="INV-1", carrier=None, currency=None, header=None, user=None, **vals
    ):
        """Import a carrier invoice in the Omni CSV format of ``rows`` (lists of cells)."""
        header = header or [
            "tracking_number",
            "ship_date",
            "billed_weight_kg",
            "amount",
            "surcharge",
            "currency",
        ]
        content = "\n".join(",".join(str(cell) for cell in row) for row in [header, *rows])
        wizard = (
            self.env["omni.carrier.invoice.import"]
            .with_user(user or self.env.user)
            .create(
                {
                    "carrier_id": (carrier or self.carrier).id,
                    "name": name,
                    "currency_id": (currency or self.currency).id,
                    "data_file": base64.b64encode(content.encode()),
                    "file_name": f"{name}.csv",
                    **vals,
                }
            )
        )
        action = wizard.action_import()
        return self.env["omni.carrier.invoice"].browse(action["res_id"])
