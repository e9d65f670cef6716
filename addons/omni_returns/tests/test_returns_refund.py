from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnsRefund(ReturnsCommon):
    def received(self, lines, **options):
        """A return of ``lines`` ([(product, quantity, reason)]) of an order of twice as
        many, delivered and invoiced, received."""
        order = self.deliver([(product, quantity * 2) for product, quantity, _r in lines])
        rma = self.request(order, lines, **options)
        rma.action_receive()
        return rma

    def test_partial_refund_from_the_original_invoice(self):
        rma = self.received([(self.product, 1, self.reason_mind)])
        invoice = rma.sale_order_id.invoice_ids
        action = rma.with_user(self.accountant).action_refund()
        refund = rma.refund_ids
        self.assertEqual(action["res_id"], refund.id)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertEqual(refund.amount_total, 80.0)
        self.assertEqual(refund.invoice_line_ids.sale_line_ids, self.line_of(rma.sale_order_id))
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(rma.amount_refunded, 80.0)
        self.assertEqual(rma.line_ids.qty_refunded, 1)
        self.assertEqual(self.line_of(rma.sale_order_id).qty_invoiced, 1)
        self.assertIn("is refunded", self.mails(rma)[:1].subject)

    def test_restocking_fee_is_kept_but_not_on_defective_items(self):
        self.policy.restocking_fee_percent = 10.0
        rma = self.received(
            [(self.product, 2, self.reason_mind), (self.heavy_product, 1, self.reason_defective)]
        )
        rma._refund()
        fee = rma.refund_ids.invoice_line_ids.filtered(
            lambda line: line.product_id == self.env.ref("omni_returns.product_restocking_fee")
        )
        self.assertEqual(fee.price_subtotal, -16.0)
        self.assertEqual(rma.refund_ids.amount_untaxed, 160.0 + 150.0 - 16.0)

    def test_label_paid_by_the_customer_is_kept(self):
        self.policy.label_payer = "customer"
        rma = self.received([(self.product, 1, self.reason_mind)])
        self.assertTrue(rma.label_charged)
        self.assertGreater(rma.label_cost, 0)
        rma._refund()
        label = rma.refund_ids.invoice_line_ids.filtered(
            lambda line: line.product_id == self.shipping_product
        )
        self.assertEqual(label.price_subtotal, -rma.label_cost)
        self.assertEqual(rma.refund_ids.amount_untaxed, 80.0 - rma.label_cost)
        self.assertIn(rma.tracking_ref, label.name)

    def test_only_what_was_received_is_refunded(self):
        order = self.deliver([(self.product, 3)])
        rma = self.request(order, [(self.product, 3, self.reason_mind)])
        rma._receive({rma.line_ids: 2})
        rma._refund()
        self.assertEqual(rma.refund_ids.amount_total, 160.0)
        with self.assertRaisesRegex(UserError, "cannot be refunded: it is Refunded"):
            rma._refund()

    def test_refund_of_an_order_not_invoiced_is_refused(self):
        order = self.deliver([(self.product, 1)], invoice=False)
        rma = self.request(order, [(self.product, 1, self.reason_mind)])
        rma.action_receive()
        with self.assertRaisesRegex(
            UserError, r"is not invoiced(.|\n)*Lamp: 1.0 Units not invoiced"
        ):
            rma._refund()
        self.assertEqual(rma.state, "received")
        self.assertFalse(self.env["account.move"].search([("omni_return_id", "=", rma.id)]))
        rma.action_close()
        self.assertEqual(rma.state, "closed")

    def test_refund_before_receipt_is_refused(self):
        order = self.deliver([(self.product, 1)])
        rma = self.request(order, [(self.product, 1, self.reason_mind)])
        with self.assertRaisesRegex(UserError, "cannot be refunded"):
            rma._refund()

    def test_who_refunds(self):
        rma = self.received([(self.product, 1, self.reason_mind)])
        for user in (self.salesman, self.staff_paris.copy(), self.user_operator):
            with self.assertRaises(AccessError):
                rma.with_user(user).action_refund()
        rma.with_user(self.user_manager).action_refund()
        self.assertEqual(rma.state, "refunded")

    def test_exchange_shipped_before_the_return_is_received(self):
        group = self.env["omni.location.group"].create(
            {"name": "Returns sites", "warehouse_ids": [Command.set(self.warehouse.ids)]}
        )
        self.env["omni.routing.rule"].create(
            {
                "name": "Web",
                "team_ids": [Command.set(self.channel.ids)],
                "location_group_ids": [Command.set(group.ids)],
            }
        )
        order = self.deliver([(self.product, 1)])
        rma = self.request(
            order,
            [(self.product, 1, self.reason_mind)],
            resolution="exchange",
            exchange_ship_now=True,
        )
        exchange = rma.exchange_order_id
        self.assertEqual(exchange.state, "sale")
        self.assertEqual(exchange.omni_exchange_return_id, rma)
        self.assertEqual(exchange.order_line.product_id, self.product)
        self.assertEqual(exchange.order_line.price_unit, 80.0)
        self.assertTrue(exchange.omni_allocation_ids, "routed by the order management")
        self.assertTrue(exchange.picking_ids)
        with self.assertRaisesRegex(UserError, "cannot be refunded"):
            rma._refund()
        rma.action_receive()
        rma._refund()
        self.assertEqual(rma.state, "exchanged")
        self.assertEqual(rma.refund_ids.amount_total, 80.0)

    def test_exchange_sent_once_the_return_is_received(self):
        order = self.deliver([(self.product, 1)])
        rma = self.env["omni.return"]._create_request(
            order,
            [
                {
                    "sale_line": self.line_of(order),
                    "quantity": 1,
                    "reason": self.reason_mind,
                    "exchange_product": self.heavy_product,
                }
            ],
            "backend",
            resolution="exchange",
        )
        exchange = rma.exchange_order_id
        self.assertEqual(exchange.state, "draft")
        self.assertEqual(exchange.order_line.product_id, self.heavy_product)
        rma.action_receive()
        self.assertEqual(exchange.state, "sale")
        self.assertTrue(exchange.picking_ids)

    def test_cancelled_exchange_with_its_return(self):
        order = self.deliver([(self.product, 1)])
        rma = self.request(order, [(self.product, 1, self.reason_mind)], resolution="exchange")
        rma.action_cancel()
        self.assertEqual(rma.state, "cancel")
        self.assertEqual(rma.exchange_order_id.state, "cancel")
        self.assertEqual(rma.picking_ids.state, "cancel")
