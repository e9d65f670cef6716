from odoo.tests import tagged

from .common import KpiCommon, at, day


@tagged("post_install", "-at_install")
class TestPromiseOutcome(KpiCommon):
    """The promise stored at confirmation, kept or broken by the carrier's delivered
    event, with the stage and cause of a broken one."""

    def test_promise_stored_at_confirmation(self):
        order = self.order(confirm_at=at(day(0), 9))
        self.assertEqual(order.omni_promise_date, day(1))
        self.assertEqual(order.omni_promise_ship_date, day(0))
        self.assertEqual(order.omni_promise_kind, "delivery")
        self.assertEqual(order.omni_promise_status, "pending")
        self.assertEqual(order.order_line.omni_promise_date, day(1))

    def test_kept_when_the_carrier_delivers_on_the_promised_day(self):
        order = self.order(confirm_at=at(day(0), 9))
        picking = self.ship(order, at(day(0), 15))
        self.deliver(picking, at(day(1), 18))
        self.assertEqual(order.omni_promise_status, "kept")
        self.assertEqual(order.omni_promise_done_date, at(day(1), 18))
        self.assertFalse(order.omni_promise_break_stage)

    def test_broken_by_the_carrier(self):
        order = self.order(confirm_at=at(day(0), 9))
        picking = self.ship(order, at(day(0), 15))
        self.deliver(picking, at(day(3), 11))
        self.assertEqual(order.omni_promise_status, "broken")
        self.assertEqual(order.omni_promise_break_stage, "carrier")
        self.assertEqual(
            order.omni_promise_break_cause,
            "Delivered on 12/05/2025, promised for 12/03/2025: the carrier was late.",
        )

    def test_broken_by_a_late_pick(self):
        order = self.order(confirm_at=at(day(0), 9))
        picking = self.ship(order, at(day(2), 10))
        self.deliver(picking, at(day(3), 11))
        self.assertEqual(order.omni_promise_break_stage, "warehouse")
        self.assertIn(f"Left late: {picking.name} was done on", order.omni_promise_break_cause)

    def test_broken_by_re_routing(self):
        order = self.order(confirm_at=at(day(0), 9))
        self.env["omni.routing.allocation"].sudo().create(
            {
                "order_id": order.id,
                "order_line_id": order.order_line.id,
                "warehouse_id": self.depot.id,
                "quantity": 1,
                "state": "released",
            }
        )
        picking = self.ship(order, at(day(0), 15))
        self.deliver(picking, at(day(3), 11))
        self.assertEqual(order.omni_promise_break_stage, "routing")
        self.assertIn("Re-routed", order.omni_promise_break_cause)

    def test_no_promise_stays_out_of_the_measure(self):
        italy = self.customer.copy({"country_id": self.env.ref("base.it").id, "zip": "20121"})
        order = self.order(partner=italy, confirm_at=at(day(0), 9))
        self.assertEqual(order.omni_promise_status, "none")
        picking = self.ship(order, at(day(0), 15))
        self.deliver(picking, at(day(3), 11))
        self.assertEqual(order.omni_promise_status, "none")
