from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.omni_tms.tests.common import TmsCommon


class ReturnsCommon(TmsCommon):
    """The carrier test set (a fake carrier server, the Lamp and the Rug in stock at
    the warehouse, customers in Paris and Milan) with a return policy of 30 days,
    free labels and returns received where they were shipped from; two stores with
    their staff; a web channel selling the warehouse and the stores through a stock
    pool; return labels made by the standard test carrier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["omni.return.policy"].search([]).active = False
        cls.env["omni.routing.rule"].search([]).active = False
        cls.company.omni_carrier_rules_on_confirm = False
        cls.policy = cls.env["omni.return.policy"].create(
            {"name": "Test returns", "return_days": 30, "sequence": 50}
        )
        ref = cls.env.ref
        cls.reason_mind = ref("omni_returns.omni_return_reason_changed_mind")
        cls.reason_defective = ref("omni_returns.omni_return_reason_defective")
        cls.reason_check = ref("omni_returns.omni_return_reason_not_as_described")
        cls.grades = {
            code: ref(f"omni_returns.omni_return_grade_{code.lower()}") for code in "ABCDE"
        }
        cls.channel = cls.env["crm.team"].create({"name": "Returns Web"})
        cls.staff_paris = new_test_user(
            cls.env, login="returns_staff_paris", groups="omni_base.group_omni_store_staff"
        )
        cls.staff_lyon = new_test_user(
            cls.env, login="returns_staff_lyon", groups="omni_base.group_omni_store_staff"
        )
        cls.paris = cls._store("Returns Paris", "RTPA", cls.staff_paris, "75002", 48.8686, 2.3422)
        cls.lyon = cls._store("Returns Lyon", "RTLY", cls.staff_lyon, "69002", 45.7640, 4.8357)
        cls.pool = cls.env["omni.stock.pool"].create(
            {
                "name": "Returns web pool",
                "warehouse_ids": [Command.set((cls.warehouse | cls.paris | cls.lyon).ids)],
                "channel_ids": [Command.link(cls.channel.id)],
            }
        )
        cls.return_rule = cls._rule(cls.standard, shipment_kind="return", name="Returns by STD")
        cls.accountant = new_test_user(
            cls.env, login="returns_accountant", groups="account.group_account_invoice"
        )
        cls.salesman = new_test_user(
            cls.env,
            login="returns_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
        )

    @classmethod
    def _store(cls, name, code, staff, zip_code, latitude, longitude):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "street": "1 Rue du Commerce",
                "zip": zip_code,
                "city": name.split()[-1],
                "country_id": cls.env.ref("base.fr").id,
                "partner_latitude": latitude,
                "partner_longitude": longitude,
            }
        )
        return cls.env["stock.warehouse"].create(
            {
                "name": name,
                "code": code,
                "partner_id": partner.id,
                "omni_is_store": True,
                "omni_staff_ids": [Command.set(staff.ids)],
            }
        )

    def deliver(self, lines, partner=None, warehouse=None, invoice=True, days_ago=0, **vals):
        """A confirmed order of ``lines`` ([(product, quantity)]) of the web channel,
        delivered ``days_ago`` and invoiced (unless told otherwise)."""
        warehouse = warehouse or self.warehouse
        for product, quantity in lines:
            self.env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, quantity
            )
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer_fr).id,
                "warehouse_id": warehouse.id,
                "team_id": self.channel.id,
                "pricelist_id": self.pricelist.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": quantity, "tax_id": False}
                    )
                    for product, quantity in lines
                ],
                **vals,
            }
        )
        order.action_confirm()
        for picking in order.picking_ids:
            self.validate(picking)
            if days_ago:
                picking.date_done = fields.Datetime.now() - timedelta(days=days_ago)
        if invoice:
            order._create_invoices().action_post()
        return order

    def validate(self, picking, quantities=None):
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def line_of(self, order, product=None):
        return order.order_line.filtered(lambda line: line.product_id == (product or self.product))

    def request(self, order, lines, channel="backend", user=None, **options):
        """The return of ``lines`` ([(product, quantity, reason)]) of ``order``."""
        Return = self.env["omni.return"]
        if user:
            Return = Return.with_user(user)
        return Return._create_request(
            order,
            [
                {"sale_line": self.line_of(order, product), "quantity": quantity, "reason": reason}
                for product, quantity, reason in lines
            ],
            channel,
            **options,
        )

    def mails(self, rma):
        """The e-mails the customer of ``rma`` was sent, the latest first."""
        return rma.message_ids.filtered(
            lambda message: (
                message.message_type == "notification" and message.partner_ids == rma.partner_id
            )
        )

    def on_hand(self, product, location):
        return sum(
            self.env["stock.quant"]._gather(product, location, strict=True).mapped("quantity")
        )

    def ats(self, product):
        return self.pool._get_ats(product).get(product.id, 0.0)
