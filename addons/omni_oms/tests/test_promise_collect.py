import datetime as dt

from freezegun import freeze_time

from odoo.tests import tagged

from .promise_common import TUESDAY, PromiseCommon, at


@tagged("post_install", "-at_install")
class TestPromiseCollect(PromiseCommon):
    """Click & collect promises: store opening hours, holidays, resupply, stock-outs,
    and the promise kept or broken when the store has the order ready."""

    def test_ready_from_the_shelf_after_handling_within_opening_hours(self):
        self.add_stock(self.shirt, self.paris, 2)
        order = self.collect_order()  # confirmed: a store order exists
        result = self.promise(order, at(TUESDAY, 8))
        self.assertEqual(result.kind, "collect")
        # opens at 10:00, one hour of handling
        self.assertEqual(result.lines[0].ready, at(TUESDAY, 11))
        self.assertEqual(result.date, TUESDAY)

    def test_store_closed_on_the_pickup_day(self):
        self.add_stock(self.shirt, self.paris, 2)
        order = self.collect_order()
        self.holiday(self.hours, TUESDAY)
        result = self.promise(order, at(TUESDAY, 8))
        self.assertEqual(result.lines[0].ready, at(dt.date(2025, 12, 3), 11))
        # Saturday 18:30: half an hour left, Sunday no hours: Monday 10:30
        saturday = dt.date(2025, 12, 6)
        result = self.promise(order, at(saturday, 18, 30))
        self.assertEqual(result.lines[0].ready, at(dt.date(2025, 12, 8), 10, 30))

    def test_items_missing_at_the_store_come_from_the_resupply_warehouse(self):
        self.add_stock(self.shirt, self.marseille, 5)
        order = self.make_order(
            [(self.shirt, 1)], omni_pickup_store_id=self.paris.id, confirm=False
        )
        self.paris.omni_resupply_days = 2
        result = self.promise(order, at(TUESDAY, 8))
        # Thursday 00:00, opens 10:00, one hour of handling
        self.assertEqual(result.lines[0].ready, at(dt.date(2025, 12, 4), 11))

    def test_out_of_stock_everywhere_has_no_promise_and_says_why(self):
        order = self.make_order(
            [(self.shirt, 1)], omni_pickup_store_id=self.paris.id, confirm=False
        )
        order.action_omni_promise()
        self.assertFalse(order.omni_promise_date)
        self.assertEqual(order.omni_promise_status, "none")
        self.assertIn("Route Shirt: out of stock everywhere", order.omni_promise_note)

    def test_promise_stored_at_confirmation_and_kept_when_ready_in_time(self):
        self.add_stock(self.shirt, self.paris, 1)
        with freeze_time(at(TUESDAY, 8)):
            order = self.collect_order()
        self.assertEqual(order.omni_promise_date, TUESDAY)
        self.assertEqual(order.omni_promise_kind, "collect")
        self.assertEqual(order.omni_promise_status, "pending")
        self.assertEqual(order.order_line.omni_promise_date, TUESDAY)
        store_order = order.omni_store_order_ids.with_user(self.staff_paris)
        with freeze_time(at(TUESDAY, 15)):
            store_order.action_accept()
            store_order.action_ready()
        self.assertEqual(order.omni_promise_status, "kept")
        self.assertEqual(order.omni_promise_done_date, at(TUESDAY, 15))

    def test_promise_broken_by_the_store_records_stage_and_cause(self):
        self.add_stock(self.shirt, self.paris, 1)
        with freeze_time(at(TUESDAY, 8)):
            order = self.collect_order()
        store_order = order.omni_store_order_ids.with_user(self.staff_paris)
        with freeze_time(at(dt.date(2025, 12, 4), 9)):
            store_order.action_accept()
            store_order.action_ready()
        self.assertEqual(order.omni_promise_status, "broken")
        self.assertEqual(order.omni_promise_break_stage, "store")
        self.assertIn("promised for", order.omni_promise_break_cause)

    def test_unknown_product_and_empty_cart_are_answers(self):
        Service = self.env["omni.promise.service"]
        ghost = self.env["product.product"]
        result = Service._promise_cart(
            self.env.company,
            self.channel,
            [(1, ghost, 1.0, "NOPE-1")],
            self.customer,
            store=self.paris,
            now=at(TUESDAY, 8),
        )
        self.assertFalse(result.promised)
        self.assertEqual(Service._reasons_text(result.reasons), "NOPE-1: unknown product.")
        empty = Service._promise_cart(
            self.env.company, self.channel, [], self.customer, now=at(TUESDAY, 8)
        )
        self.assertEqual(
            Service._reasons_text(empty.reasons), "Nothing to deliver: the cart is empty."
        )
