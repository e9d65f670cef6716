from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AtsCommon


@tagged("post_install", "-at_install")
class TestAtsSale(AtsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="ats_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.env["stock.quant"]._update_available_quantity(cls.sneaker, cls.dc.lot_stock_id, 5)
        cls.env["stock.quant"]._update_available_quantity(cls.boot, cls.dc.lot_stock_id, 1)

    def order_form(self, user=None):
        form = Form(self.env["sale.order"].with_user(user or self.env.user))
        form.partner_id = self.customer
        form.team_id = self.channel
        return form

    def test_warning_above_ats(self):
        form = self.order_form(self.salesman)
        with form.order_line.new() as line:
            line.product_id = self.sneaker
            line.product_uom_qty = 5
        with self.assertLogs("odoo.tests.form.onchange") as logs, form.order_line.new() as line:
            line.product_id = self.sneaker
            line.product_uom_qty = 2
        warning = "\n".join(logs.output)
        self.assertIn("Not enough available to sell", warning)
        self.assertIn("Channel ATS Web can sell 5.0 Units of [ATS-SNEAKER] Ats-Sneaker", warning)
        self.assertIn("this order asks for 7.0", warning)
        self.assertNotIn("cannot be confirmed", warning, "the pool does not block")
        order = form.save()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_no_warning_within_ats_or_without_pool(self):
        form = self.order_form(self.salesman)
        with self.assertNoLogs("odoo.tests.form.onchange"), form.order_line.new() as line:
            line.product_id = self.sneaker
            line.product_uom_qty = 5
        other_channel = self.env["crm.team"].create({"name": "ATS Phone"})
        form.team_id = other_channel
        with self.assertNoLogs("odoo.tests.form.onchange"), form.order_line.new() as line:
            line.product_id = self.boot
            line.product_uom_qty = 50

    def test_blocking_pool_refuses_confirmation(self):
        self.pool.block_oversell = True
        order = self.sale_order(
            [(self.sneaker, 6), (self.boot, 1), (self.lamp, 2)], user_id=self.salesman.id
        )
        with self.assertRaises(UserError) as refusal:
            order.with_user(self.salesman).action_confirm()
        message = str(refusal.exception)
        self.assertIn(f"{order.name} cannot be confirmed", message)
        self.assertIn("[ATS-SNEAKER] Ats-Sneaker: 6.0 Units ordered, 5.0 available", message)
        self.assertIn("[ATS-LAMP] Ats-Lamp: 2.0 Units ordered, 0.0 available", message)
        self.assertNotIn("ATS-BOOT", message)
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids, "nothing half-done")
        order.order_line.filtered(lambda line: line.product_id == self.sneaker).product_uom_qty = 5
        order.order_line.filtered(lambda line: line.product_id == self.lamp).unlink()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.ats(self.sneaker), 0)

    def test_orders_confirmed_together_share_the_ats(self):
        self.pool.block_oversell = True
        first = self.sale_order([(self.sneaker, 3)])
        second = self.sale_order([(self.sneaker, 3)])
        with self.assertRaisesRegex(UserError, "6.0 Units ordered, 5.0 available"):
            (first | second).action_confirm()
        first.action_confirm()
        with self.assertRaisesRegex(UserError, "3.0 Units ordered, 2.0 available"):
            second.action_confirm()

    def test_order_in_another_unit(self):
        self.pool.block_oversell = True
        dozen = self.env.ref("uom.product_uom_dozen")
        order = self.sale_order([(self.sneaker, 1)])
        order.order_line.product_uom = dozen
        with self.assertRaisesRegex(UserError, "12.0 Units ordered, 5.0 available"):
            order.action_confirm()

    # Every path out of the pool ---------------------------------------------------

    def test_orders_shipping_from_outside_the_pool_are_sold_on_its_figures(self):
        """The channel sells the pool's stock whichever warehouse ships the order."""
        self.pool.block_oversell = True
        confirmed = self.env["sale.order"]
        for _index in range(7):
            order = self.sale_order([(self.sneaker, 1)], warehouse=self.outside)
            try:
                with self.env.cr.savepoint():
                    order.action_confirm()
                confirmed |= order
            except UserError as refusal:
                self.assertIn("1.0 Units ordered, 0.0 available to sell", str(refusal))
        self.assertEqual(len(confirmed), 5)
        self.assertEqual(self.ats(self.sneaker), 0)
        self.assertEqual(self.published(self.sneaker), 0)

    def test_orders_naming_no_warehouse_are_checked(self):
        self.pool.block_oversell = True
        default_warehouse = self.env["sale.order"].new({"partner_id": self.customer.id})
        self.assertNotIn(default_warehouse.warehouse_id, self.pool.warehouse_ids)
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "team_id": self.channel.id,
                    "order_line": [
                        Command.create({"product_id": self.boot.id, "product_uom_qty": 1})
                    ],
                }
                for _index in range(3)
            ]
        )
        orders[0].action_confirm()
        for order in orders[1:]:
            with self.assertRaisesRegex(UserError, "1.0 Units ordered, 0.0 available"):
                order.action_confirm()
        self.assertEqual(orders.mapped("state"), ["sale", "draft", "draft"])

    def test_a_line_giving_back_does_not_offset_one_taking_out(self):
        self.pool.block_oversell = True
        order = self.sale_order([(self.boot, 5), (self.boot, -5)])
        with self.assertRaisesRegex(UserError, r"ATS-BOOT\] Ats-Boot: 5.0 Units ordered, 1.0"):
            order.action_confirm()
        self.assertFalse(order.picking_ids)

    def test_more_on_a_confirmed_order_is_checked(self):
        self.pool.block_oversell = True
        order = self.sale_order([(self.sneaker, 3)])
        order.action_confirm()
        line = order.order_line
        with self.assertRaisesRegex(UserError, "3.0 Units ordered, 2.0 available"):
            line.product_uom_qty = 6
        self.assertEqual(sum(order.picking_ids.move_ids.mapped("product_uom_qty")), 3)
        line.product_uom_qty = 5
        self.assertEqual(sum(order.picking_ids.move_ids.mapped("product_uom_qty")), 5)
        with self.assertRaisesRegex(UserError, "1.0 Units ordered, 0.0 available"):
            order.order_line = [
                Command.create({"product_id": self.sneaker.id, "product_uom_qty": 1})
            ]
        self.assertEqual(self.ats(self.sneaker), 0)

    def test_orders_held_by_routing_are_sold_on_the_pool(self):
        """A held order ships nothing yet, and still takes what it sold from the pool."""
        self.pool.block_oversell = True
        nowhere = self.env["omni.location.group"].create(
            {"name": "ATS nowhere", "warehouse_ids": [Command.set(self.outside.ids)]}
        )
        self.env["omni.routing.rule"].create(
            {
                "name": "ATS hold",
                "sequence": 1,
                "team_ids": [Command.set(self.channel.ids)],
                "location_group_ids": [Command.set(nowhere.ids)],
                "failure_action": "hold",
            }
        )
        self.customer.country_id = self.env.ref("base.fr")
        held = self.sale_order([(self.sneaker, 4)])
        held.action_confirm()
        self.assertEqual(held.omni_routing_state, "held")
        self.assertFalse(held.picking_ids)
        self.assertEqual(self.ats(self.sneaker), 1)
        self.assertEqual(self.published(self.sneaker), 1)
        with self.assertRaisesRegex(UserError, "2.0 Units ordered, 1.0 available"):
            self.sale_order([(self.sneaker, 2)]).action_confirm()
        held.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(self.published(self.sneaker), 5)
