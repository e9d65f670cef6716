from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import format_datetime

from .store_common import StoreCommon


@tagged("post_install", "-at_install")
class TestStoreFulfilment(StoreCommon):
    """Store fulfilment as the store staff and the customer live it."""

    # Ship from store ------------------------------------------------------------

    def test_routed_order_enters_the_store_queue(self):
        self.add_stock(self.shirt, self.paris, 2)
        order = self.make_order([(self.shirt, 2)])
        store_order = order.omni_store_order_ids
        self.assertEqual(store_order.store_id, self.paris)
        self.assertEqual(store_order.state, "to_accept")
        self.assertEqual(store_order.fulfilment, "ship")
        self.assertEqual(store_order.picking_id, order.picking_ids)
        self.assertTrue(store_order.accept_deadline)
        self.assertIn("Sent to store Route Paris", self.timeline(order))

    def test_store_order_timeline_starts_with_where_it_was_sent(self):
        """Its first note says which store prepares it and how, instead of Odoo's
        "Store Order created" (logged outside tests)."""
        self.add_stock(self.shirt, self.paris, 2)
        order = self.make_order([(self.shirt, 2)], confirm=False)
        order.with_context(mail_create_nolog=False, tracking_disable=False).action_confirm()
        self.assertEqual(
            order.omni_store_order_ids.message_ids.mapped("preview"),
            ["Sent to store Route Paris: Ship from store."],
        )

    def test_store_without_ship_from_store_gets_no_web_orders(self):
        self.paris.omni_ship_from_store = False
        self.add_stock(self.shirt, self.paris, 2)
        self.add_stock(self.shirt, self.lyon, 2)
        order = self.make_order([(self.shirt, 2)])
        self.assertEqual(order.omni_store_order_ids.store_id, self.lyon)

    def test_staff_accept_prepare_and_ship(self):
        self.add_stock(self.shirt, self.paris, 2)
        order = self.make_order([(self.shirt, 2)])
        store_order = order.omni_store_order_ids.with_user(self.staff_paris)
        store_order.action_accept()
        self.assertEqual(store_order.accepted_by_id, self.staff_paris)
        store_order.action_ready()
        self.assertEqual(store_order.state, "ready")
        store_order.action_ship()
        self.assertEqual(store_order.picking_id.state, "done")
        self.assertEqual(store_order.state, "done")
        timeline = self.timeline(order)
        self.assertIn("Accepted by", timeline)
        self.assertIn("Packed and ready to ship", timeline)

    def test_staff_of_another_store_cannot_see_or_act(self):
        self.add_stock(self.shirt, self.paris, 1)
        order = self.make_order([(self.shirt, 1)])
        store_order = order.omni_store_order_ids
        StoreOrder = self.env["omni.store.order"]
        self.assertFalse(
            StoreOrder.with_user(self.staff_lyon).search([("id", "=", store_order.id)])
        )
        self.assertEqual(StoreOrder.with_user(self.staff_paris).search([]), store_order)
        with self.assertRaises(AccessError):
            store_order.with_user(self.staff_lyon).read(["state"])
        with self.assertRaises(AccessError):
            store_order.with_user(self.staff_lyon).action_accept()
        with self.assertRaises(AccessError):
            store_order.picking_id.with_user(self.staff_lyon).read(["name"])
        self.assertEqual(store_order.state, "to_accept")

    def test_staff_of_another_store_cannot_hand_over(self):
        order, store_order = self.ready_collect_order()
        code = store_order.sudo().pickup_code
        with self.assertRaises(UserError):
            self.counter(self.staff_lyon, code=code).action_find()
        with self.assertRaises(AccessError):
            store_order.with_user(self.staff_lyon)._hand_over(code)
        self.assertEqual(store_order.state, "ready")
        self.assertNotEqual(order.picking_ids.state, "done")

    def test_staff_cannot_read_pickup_codes(self):
        _order, store_order = self.ready_collect_order()
        with self.assertRaises(AccessError):
            store_order.with_user(self.staff_paris).read(["pickup_code"])

    def test_rejection_reroutes_to_another_location(self):
        self.add_stock(self.shirt, self.paris, 2)
        self.add_stock(self.shirt, self.lyon, 2)
        order = self.make_order([(self.shirt, 2)])
        paris_order = order.omni_store_order_ids.with_user(self.staff_paris)
        wizard = (
            self.env["omni.store.reject"]
            .with_user(self.staff_paris)
            .with_context(**paris_order.action_open_reject()["context"])
            .create({"reason": "missing", "note": "box torn"})
        )
        wizard.action_reject()
        self.assertEqual(paris_order.state, "rejected")
        self.assertIn("box torn", paris_order.reject_reason)
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.lyon): 2})
        lyon_order = self.store_order(order, self.lyon)
        self.assertEqual(lyon_order.state, "to_accept")
        self.assertIn("Refused by store Route Paris", self.latest_decision(order).reason)

    def test_acceptance_timeout_reroutes(self):
        self.add_stock(self.shirt, self.paris, 2)
        self.add_stock(self.shirt, self.lyon, 2)
        order = self.make_order([(self.shirt, 2)])
        paris_order = order.omni_store_order_ids
        paris_order.accept_deadline = fields.Datetime.now() - timedelta(minutes=1)
        self.env["omni.store.order"]._cron_accept_timeout()
        self.assertEqual(paris_order.state, "rejected")
        self.assertIn("not accepted within 120 minutes", paris_order.reject_reason)
        self.assertEqual(self.store_order(order, self.lyon).state, "to_accept")

    def test_rejection_without_routing_rule_is_refused(self):
        self.add_stock(self.shirt, self.paris, 1)
        order = self.make_order([(self.shirt, 1)])
        self.rule.active = False
        with self.assertRaisesRegex(UserError, "No routing rule applies"):
            order.omni_store_order_ids.with_user(self.staff_paris)._reject("busy")
        self.assertEqual(order.omni_store_order_ids.state, "to_accept")

    # Click & collect -------------------------------------------------------------

    def test_click_collect_never_swaps_the_store_and_resupplies(self):
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.shirt, self.lyon, 5)
        self.add_stock(self.shirt, self.marseille, 5)
        order = self.collect_order(quantity=3)
        store_order = order.omni_store_order_ids
        self.assertEqual(store_order.store_id, self.paris)
        self.assertEqual(store_order.fulfilment, "collect")
        self.assertFalse(store_order.accept_deadline)
        resupply = store_order.resupply_picking_id
        self.assertEqual(resupply.location_id, self.marseille.lot_stock_id)
        self.assertEqual(resupply.location_dest_id, self.paris.lot_stock_id)
        self.assertEqual(resupply.move_ids.product_uom_qty, 2, "what the store lacks")
        self.assertEqual(store_order.expected_ready_date, resupply.scheduled_date)
        told = self.customer_messages(order, "pickup date")
        self.assertEqual(told.partner_ids, self.customer)
        self.assertIn("Route Paris", told.body)

        store_order = store_order.with_user(self.staff_paris)
        store_order.action_accept()
        with self.assertRaisesRegex(UserError, "on the store shelf yet"):
            store_order.action_ready()
        resupply.action_assign()
        resupply.move_ids.picked = True
        resupply.button_validate()
        self.assertTrue(store_order.items_in_store)
        store_order.action_ready()
        self.assertEqual(store_order.state, "ready")

    def receive(self, transfer):
        transfer.action_assign()
        transfer.move_ids.picked = True
        transfer.button_validate()

    def test_resupply_is_reserved_for_the_order_it_was_made_for(self):
        """An older order waiting for the same product at the same store does not take
        what comes for a newer one; what the shelf held stays reserved too."""
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.shirt, self.marseille, 3)
        older = self.collect_order(quantity=2).omni_store_order_ids
        newer = self.collect_order(quantity=2).omni_store_order_ids
        self.assertEqual(older.resupply_picking_id.move_ids.product_uom_qty, 1)
        self.assertEqual(newer.resupply_picking_id.move_ids.product_uom_qty, 2)
        self.receive(newer.resupply_picking_id)
        self.assertTrue(newer.items_in_store)
        self.assertFalse(older.items_in_store)
        self.assertEqual(older.item_summary, "2 Units Route Shirt")
        self.assertIn("1 Units Route Shirt: expected", older.missing_summary)
        self.receive(older.resupply_picking_id)
        self.assertTrue(older.items_in_store)
        older.with_user(self.staff_paris).action_accept()
        older.with_user(self.staff_paris).action_ready()
        self.assertTrue(older._hand_over(older.sudo().pickup_code))
        self.assertEqual(older.picking_id.move_ids.mapped("state"), ["done", "done"])
        self.assertEqual(older.sale_order_id.order_line.qty_delivered, 2)

    def test_missing_items_say_when_they_come_and_are_reserved_once_there(self):
        self.add_stock(self.shirt, self.marseille, 5)
        order = self.collect_order(quantity=2)
        store_order = order.omni_store_order_ids.with_user(self.staff_paris)
        store_order.action_accept()
        resupply = store_order.resupply_picking_id
        self.assertEqual(
            store_order.missing_summary,
            f"2 Units Route Shirt: expected "
            f"{format_datetime(store_order.env, resupply.scheduled_date)} with {resupply.name}",
        )
        # The resupply is called off, and the store finds the shirts on its own.
        resupply.action_cancel()
        self.assertEqual(
            store_order.missing_summary,
            "2 Units Route Shirt: not on the store shelf, and no resupply on its way",
        )
        self.add_stock(self.shirt, self.paris, 2)
        self.assertFalse(store_order.items_in_store)
        store_order.action_check_availability()
        self.assertTrue(store_order.items_in_store)
        self.assertFalse(store_order.missing_summary)
        store_order.action_ready()
        self.assertEqual(store_order.state, "ready")

    def test_click_collect_refusal_is_not_allowed(self):
        self.add_stock(self.shirt, self.paris, 1)
        order = self.collect_order()
        with self.assertRaisesRegex(UserError, "cannot be sent elsewhere"):
            order.omni_store_order_ids.with_user(self.staff_paris)._reject("busy")

    def test_missing_items_without_resupply_warehouse(self):
        self.paris.omni_resupply_warehouse_id = False
        with self.assertRaisesRegex(UserError, "has no resupply warehouse"):
            self.collect_order()

    def test_ready_notification_with_code_qr_and_hours(self):
        order, store_order = self.ready_collect_order()
        code = store_order.sudo().pickup_code
        self.assertRegex(code, r"^\d{6}$")
        message = self.customer_messages(order, "ready for pickup")
        self.assertEqual(len(message), 1)
        self.assertIn(code, message.body)
        self.assertIn(f"/report/barcode/?barcode_type=QR&amp;value={code}", message.body)
        self.assertIn("Monday: 08:00-12:00, 13:00-17:00", message.body)
        self.assertIn("Route Paris</strong>\n        (France)", message.body)
        self.assertTrue(
            store_order.expiry_date > store_order.reminder_date > store_order.ready_date
        )

    def test_staff_never_read_the_pickup_code(self):
        self.customer.mobile = "+33 6 12 34 56 78"
        self.paris.omni_text_pickup_code = True
        order, store_order = self.ready_collect_order()
        code = store_order.sudo().pickup_code
        self.assertIn(code, self.customer_messages(order, "ready for pickup").body)
        seen = (
            self.env["mail.message"]
            .with_user(self.staff_paris)
            .search([("model", "=", "sale.order"), ("res_id", "=", order.id)])
        )
        self.assertTrue(seen, "the staff read the order's timeline")
        self.assertFalse([body for body in seen.mapped("body") if code in body])
        self.assertNotIn(code, self.timeline(order.with_user(self.staff_paris)))
        with self.assertRaises(AccessError):
            self.env["sms.sms"].with_user(self.staff_paris).search([])

    def test_pickup_code_texted_by_stores_that_text_it(self):
        self.customer.mobile = "+33 6 12 34 56 78"
        _order, store_order = self.ready_collect_order()
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "=", self.customer.id)]))
        self.paris.omni_text_pickup_code = True
        order, store_order = self.ready_collect_order()
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn(store_order.sudo().pickup_code, sms.body)
        self.assertIn(order.name, sms.body)

    def test_staff_without_e_mail_work_all_the_same(self):
        """Logging a step needs no e-mail of the staff member; customer messages are
        sent in the name of the company."""
        self.staff_paris.partner_id.email = False
        order, store_order = self.ready_collect_order()
        self.assertEqual(store_order.state, "ready")
        ready = self.customer_messages(order, "ready for pickup")
        self.assertEqual(ready.author_id, self.env.company.partner_id)
        self.assertTrue(store_order._hand_over(store_order.sudo().pickup_code))
        self.assertEqual(store_order.state, "done")

    def test_a_failing_customer_message_does_not_undo_the_step(self):
        template = self.env.ref("omni_oms.mail_template_omni_store_ready")
        template.body_html = '<p><t t-out="object.no_such_field"/></p>'
        _order, store_order = self.ready_collect_order()
        self.assertEqual(store_order.state, "ready")
        self.assertTrue(store_order.sudo().pickup_code)
        self.assertIn("The customer could not be notified", self.timeline(store_order))

    def test_counter_finds_by_code_and_hands_over(self):
        order, store_order = self.ready_collect_order()
        code = store_order.sudo().pickup_code
        counter = self.counter(self.staff_paris, code=f" {code} ")
        counter.action_find()
        self.assertEqual(counter.store_order_id, store_order)
        counter.action_hand_over()
        self.assertEqual(counter.outcome, "handed_over")
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(store_order.state, "done")
        self.assertEqual(store_order.handed_over_by_id, self.staff_paris)
        self.assertIn("Handed over to the customer", self.timeline(order))
        with self.assertRaisesRegex(UserError, "Pickup code already used"):
            store_order._hand_over(code)
        with self.assertRaisesRegex(UserError, "No order ready for pickup"):
            self.counter(self.staff_paris, code=code).action_find()

    def test_wrong_code_is_refused_and_logged(self):
        order, store_order = self.ready_collect_order()
        counter = self.counter(self.staff_paris, store_order_id=store_order.id, code="000000")
        if store_order.sudo().pickup_code == "000000":
            counter.code = "111111"
        counter.action_hand_over()
        self.assertEqual(counter.outcome, "wrong_code")
        self.assertEqual(store_order.wrong_code_count, 1)
        self.assertEqual(store_order.state, "ready")
        self.assertNotEqual(order.picking_ids.state, "done")
        self.assertIn("Wrong pickup code given at the counter", self.timeline(order))

    def test_counter_shows_a_wrong_code_until_the_right_one(self):
        order, store_order = self.ready_collect_order()
        code = store_order.sudo().pickup_code
        counter = self.counter(
            self.staff_paris,
            store_order_id=store_order.id,
            code="000000" if code != "000000" else "111111",
        )
        reopened = counter.action_hand_over()
        self.assertEqual((reopened["res_model"], reopened["res_id"]), (counter._name, counter.id))
        self.assertEqual(counter.outcome, "wrong_code")
        self.assertEqual(store_order.state, "ready")
        counter.code = code
        counter.action_hand_over()
        self.assertEqual(counter.outcome, "handed_over")
        self.assertEqual(store_order.state, "done")
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(store_order.wrong_code_count, 1)

    def test_too_many_wrong_codes_lock_until_a_new_code(self):
        _order, store_order = self.ready_collect_order()
        old_code = store_order.sudo().pickup_code
        wrong = "1" + old_code[1:] if old_code[0] != "1" else "2" + old_code[1:]
        for _attempt in range(5):
            self.assertFalse(store_order._hand_over(wrong))
        with self.assertRaisesRegex(UserError, "Too many wrong codes"):
            store_order._hand_over(old_code)
        store_order.action_send_new_code()
        new_code = store_order.sudo().pickup_code
        self.assertEqual(store_order.wrong_code_count, 0)
        self.assertTrue(store_order._hand_over(new_code))

    def refused_lookup(self, user, code):
        """The counter's refusal to look an order up by ``code``. Not under a savepoint:
        a refusal rolls the request back, and the wrong code must stay counted."""
        try:
            self.counter(user, code=code).action_find()
        except UserError as refusal:
            return str(refusal)
        return self.fail(f"{code} found an order")

    def test_looking_orders_up_by_code_is_throttled(self):
        _order, store_order = self.ready_collect_order()
        code = store_order.sudo().pickup_code
        wrong = "000000" if code != "000000" else "111111"
        for _attempt in range(5):
            self.assertIn("No order ready for pickup", self.refused_lookup(self.staff_paris, wrong))
        attempts = self.env["omni.store.code.attempt"].search(
            [("user_id", "=", self.staff_paris.id)]
        )
        self.assertEqual(attempts.mapped("step"), ["find"] * 5)
        self.assertIn("Too many wrong pickup codes", self.refused_lookup(self.staff_paris, code))
        counter = self.counter(self.user_manager, code=code)
        counter.action_find()
        self.assertEqual(counter.store_order_id, store_order)

    def test_wrong_codes_are_not_readable_by_staff(self):
        _order, store_order = self.ready_collect_order()
        self.refused_lookup(
            self.staff_paris, "999999" if store_order.sudo().pickup_code != "999999" else "888888"
        )
        with self.assertRaises(AccessError):
            self.env["omni.store.code.attempt"].with_user(self.staff_paris).search([])
        self.assertTrue(self.env["omni.store.code.attempt"].with_user(self.user_manager).search([]))

    def test_hand_over_before_ready(self):
        self.add_stock(self.shirt, self.paris, 1)
        order = self.collect_order()
        store_order = order.omni_store_order_ids.with_user(self.staff_paris)
        with self.assertRaisesRegex(UserError, "is not ready for pickup"):
            store_order._hand_over("123456")

    def test_collect_transfer_is_only_validated_at_the_counter(self):
        order, _store_order = self.ready_collect_order()
        with self.assertRaisesRegex(UserError, "hand them over from the store counter"):
            order.picking_ids.button_validate()

    def test_expiry_restores_stock_and_cancels(self):
        pool = self.env["omni.stock.pool"].create(
            {
                "name": "Paris shelves",
                "warehouse_ids": [Command.set(self.paris.ids)],
                "channel_ids": [Command.link(self.channel.id)],
            }
        )
        order, store_order = self.ready_collect_order()
        product = self.shirt.with_context(warehouse_id=self.paris.id)
        self.assertEqual(product.free_qty, 0)
        self.assertEqual(pool._get_ats(self.shirt)[self.shirt.id], 0)
        store_order.expiry_date = fields.Datetime.now() - timedelta(minutes=1)
        self.env["omni.store.order"]._cron_pickup_followup()
        self.assertEqual(store_order.state, "expired")
        self.assertEqual(order.picking_ids.state, "cancel")
        self.assertEqual(order.state, "cancel")
        product.invalidate_recordset()
        self.assertEqual(product.free_qty, 1)
        self.assertEqual(pool._get_ats(self.shirt)[self.shirt.id], 1)
        expired = self.customer_messages(order, "not collected")
        self.assertEqual(expired.partner_ids, self.customer)

    def expire_invoiced_order(self, policy):
        self.paris.omni_expiry_policy = policy
        order, store_order = self.ready_collect_order()
        invoice = order._create_invoices()
        invoice.action_post()
        store_order.expiry_date = fields.Datetime.now() - timedelta(minutes=1)
        self.env["omni.store.order"]._cron_pickup_followup()
        self.assertEqual(store_order.state, "expired")
        self.assertEqual(order.state, "cancel")
        credit_note = self.env["account.move"].search([("reversed_entry_id", "=", invoice.id)])
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.amount_total, invoice.amount_total)
        return invoice, credit_note

    def test_expiry_posts_a_credit_note(self):
        invoice, credit_note = self.expire_invoiced_order("credit_note")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(invoice.payment_state, "reversed")

    def test_expiry_drafts_a_credit_note_to_review(self):
        invoice, credit_note = self.expire_invoiced_order("review")
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(invoice.payment_state, "not_paid")

    def test_reminder_sent_once(self):
        order, store_order = self.ready_collect_order()
        store_order.reminder_date = fields.Datetime.now() - timedelta(minutes=1)
        Followup = self.env["omni.store.order"]
        Followup._cron_pickup_followup()
        Followup._cron_pickup_followup()
        reminders = self.customer_messages(order, "Reminder")
        self.assertEqual(len(reminders), 1)
        self.assertTrue(store_order.reminder_sent)
        self.assertEqual(store_order.state, "ready")

    def test_click_collect_needs_opening_hours(self):
        with self.assertRaisesRegex(ValidationError, "has no opening hours"):
            self.paris.omni_opening_hours_id = False

    def test_pickup_store_must_offer_click_collect(self):
        self.lyon.omni_click_collect = False
        order = self.make_order([(self.shirt, 1)], confirm=False, omni_pickup_store_id=self.lyon.id)
        with self.assertRaisesRegex(UserError, "does not offer click & collect"):
            order.action_confirm()
