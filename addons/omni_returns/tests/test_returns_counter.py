from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.base.models.ir_qweb import QWebException

from .common import ReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnsCounter(ReturnsCommon, HttpCase):
    """Return in store, at the counters of Paris and Lyon, by their own staff.

    An HttpCase: wkhtmltopdf fetches the receipt's styles from the server, which must
    answer within the test's transaction."""

    def counter(self, user, **vals):
        return self.env["omni.return.store.counter"].with_user(user).create(vals)

    def take(self, counter, product, quantity, reason, condition="as_new"):
        line = counter.line_ids.filtered(lambda line: line.product_id == product)
        line.write({"quantity": quantity, "reason_id": reason.id, "condition": condition})

    def test_web_order_returned_in_store(self):
        order = self.deliver([(self.product, 2), (self.heavy_product, 1)])
        counter = self.counter(self.staff_paris, lookup=f"  {order.name.lower()} ")
        self.assertEqual(counter.store_id, self.paris, "the clerk's store")
        counter.action_find()
        self.assertEqual(counter.sale_order_id, order)
        self.assertEqual(counter.partner_id, self.customer_fr)
        self.assertEqual(
            {line.product_id: line.qty_returnable for line in counter.line_ids},
            {self.product: 2.0, self.heavy_product: 1.0},
        )
        self.take(counter, self.product, 1, self.reason_defective, "damaged")
        counter.note = "Dropped by the courier."
        counter.action_create()

        rma = counter.return_id
        self.assertRecordValues(
            rma,
            [
                {
                    "channel": "store",
                    "warehouse_id": self.paris.id,
                    "return_method": "drop_off",
                    "state": "received",
                    "note": "Dropped by the courier.",
                    "user_id": self.staff_paris.id,
                }
            ],
        )
        self.assertRecordValues(
            rma.line_ids,
            [
                {
                    "product_id": self.product.id,
                    "quantity": 1.0,
                    "qty_received": 1.0,
                    "reason_id": self.reason_defective.id,
                    "condition": "damaged",
                }
            ],
        )
        received_at = rma.picking_ids.location_dest_id
        self.assertEqual(received_at.warehouse_id, self.paris)
        self.assertEqual(self.on_hand(self.product, received_at), 1.0)
        self.assertEqual(self.line_of(order).qty_delivered, 1.0)
        with self.assertRaisesRegex(UserError, "is created already"):
            counter.action_create()

    def test_order_bought_in_another_store(self):
        """Bought in Lyon, returned in Paris: the Paris clerk cannot read the order,
        yet finds it by the customer's phone and takes the return."""
        self.customer_fr.phone = "+33 6 12 34 56 78"
        order = self.deliver([(self.product, 1)], warehouse=self.lyon)
        with self.assertRaises(AccessError):
            order.with_user(self.staff_paris).check_access("read")
        counter = self.counter(self.staff_paris, lookup="06 12 34 56 78")
        counter.action_find()
        self.assertEqual(counter.sale_order_id, order)
        self.take(counter, self.product, 1, self.reason_mind)
        counter.action_create()
        self.assertRecordValues(
            counter.return_id, [{"warehouse_id": self.paris.id, "state": "received"}]
        )

    def test_several_orders_found_by_email(self):
        first = self.deliver([(self.product, 1)])
        second = self.deliver([(self.heavy_product, 1)])
        self.deliver([(self.product, 1)], partner=self.customer_it)
        returned = self.deliver([(self.product, 1)])
        self.request(returned, [(self.product, 1, self.reason_mind)])
        counter = self.counter(self.staff_paris, lookup="CAMILLE@example.com")
        counter.action_find()
        self.assertFalse(counter.sale_order_id)
        self.assertEqual(counter.candidate_ids.order_id, first | second)
        counter.candidate_ids.filtered(lambda c: c.order_id == second).action_choose()
        self.assertEqual(counter.sale_order_id, second)
        self.assertFalse(counter.candidate_ids)
        self.assertEqual(counter.line_ids.product_id, self.heavy_product)

    def test_nothing_found(self):
        order = self.deliver([(self.product, 1)])
        self.request(order, [(self.product, 1, self.reason_mind)])
        for lookup, message in (
            ("", "Type the order's reference"),
            ("S-NOWHERE", "No confirmed order with items to return matches S-NOWHERE"),
            (order.name, "No confirmed order with items to return matches"),
            ("nobody@example.com", "No confirmed order"),
        ):
            with self.subTest(lookup=lookup):
                counter = self.counter(self.staff_paris, lookup=lookup)
                with self.assertRaisesRegex(UserError, message):
                    counter.action_find()

    def test_counter_refusals_write_nothing(self):
        order = self.deliver([(self.product, 1)])
        counter = self.counter(self.staff_paris, lookup=order.name)
        counter.action_find()
        with self.assertRaisesRegex(UserError, "Give the quantity of at least one item"):
            counter.action_create()
        self.take(counter, self.product, 2, self.reason_mind)
        with self.assertRaisesRegex(UserError, "only 1.0 Units delivered"):
            counter.action_create()
        self.take(counter, self.product, 1, self.reason_check)
        with self.assertRaisesRegex(
            UserError, "A logistics manager approves returns for the reason"
        ):
            counter.action_create()
        self.assertFalse(self.env["omni.return"].search([("sale_order_id", "=", order.id)]))

    # Stores keep to their own returns -------------------------------------------------

    def test_staff_of_another_store_cannot_take_see_or_receive(self):
        order = self.deliver([(self.product, 2)])
        counter = self.counter(self.staff_lyon, lookup=order.name)
        self.assertEqual(counter.store_id, self.lyon)
        counter.action_find()
        self.take(counter, self.product, 1, self.reason_mind)
        counter.store_id = self.paris
        with self.assertRaisesRegex(AccessError, "not on the staff of Returns Paris"):
            counter.action_create()

        paris_return = self.request(
            order, [(self.product, 1, self.reason_mind)], store=self.paris, method="drop_off"
        )
        self.assertEqual(paris_return.state, "awaiting")
        Return = self.env["omni.return"]
        self.assertFalse(Return.with_user(self.staff_lyon).search([("id", "=", paris_return.id)]))
        self.assertEqual(Return.with_user(self.staff_paris).search([]), paris_return)
        with self.assertRaises(AccessError):
            paris_return.with_user(self.staff_lyon).action_receive()
        self.assertEqual(paris_return.state, "awaiting")
        with self.assertRaises(QWebException) as caught:
            self.env["ir.actions.report"].with_user(self.staff_lyon)._render_qweb_pdf(
                "omni_returns.omni_return_receipt_report", paris_return.ids
            )
        self.assertIsInstance(caught.exception.__cause__, AccessError)
        paris_return.with_user(self.staff_paris).action_receive()
        self.assertEqual(paris_return.state, "received")

    def test_receipt_prints(self):
        order = self.deliver([(self.product, 1)])
        counter = self.counter(self.staff_paris, lookup=order.name)
        counter.action_find()
        self.take(counter, self.product, 1, self.reason_mind, "unopened")
        counter.action_create()
        rma = counter.return_id
        action = counter.action_print_receipt()
        self.assertEqual(action["report_name"], "omni_returns.omni_return_receipt")
        self.assertEqual(action["context"]["active_ids"], rma.ids)
        Report = (
            self.env["ir.actions.report"]
            .with_user(self.staff_paris)
            .with_context(force_report_rendering=True)
        )
        html = Report._render_qweb_html(action["report_name"], rma.ids)[0].decode()
        for text in (rma.name, order.name, "Returns Paris", "Lamp", "Changed my mind", "Unopened"):
            self.assertIn(text, html)
        pdf, report_type = Report._render_qweb_pdf(action["report_name"], rma.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

        new = self.env["omni.return.store.counter"].browse(counter.action_new()["res_id"])
        self.assertEqual(new.store_id, self.paris)
        self.assertFalse(new.return_id)

    def test_counter_menu_for_store_staff(self):
        menu = self.env.ref("omni_returns.omni_return_store_counter_menu")
        self.assertIn(menu, self.visible_menus(self.staff_paris))
        self.assertNotIn(menu, self.visible_menus(self.user_internal))

    def test_counter_tour(self):
        order = self.deliver([(self.product, 2)])
        self.start_tour("/odoo", "omni_returns_counter_return", login=self.staff_paris.login)
        rma = self.env["omni.return"].search([("sale_order_id", "=", order.id)])
        self.assertRecordValues(
            rma, [{"channel": "store", "warehouse_id": self.paris.id, "state": "received"}]
        )
        self.assertRecordValues(
            rma.line_ids,
            [
                {
                    "quantity": 1.0,
                    "qty_received": 1.0,
                    "reason_id": self.reason_mind.id,
                    "condition": "unopened",
                }
            ],
        )
