from odoo import Command
from odoo.tests import tagged

from .common import KpiCommon, at, day


@tagged("post_install", "-at_install")
class TestPromiseDelivery(KpiCommon):
    """Delivery promises from the depot's calendar, handling time, the carrier's cut-off
    and transit table; reasons when no promise can be made."""

    def test_just_before_the_cutoff_ships_today(self):
        # 13:59 + 2 working hours = 15:59, before 16:00: ships Tuesday, Paris in 1 day
        result = self.promise(self.order(), at(day(0), 13, 59))
        self.assertEqual(result.lines[0].ship_date, day(0))
        self.assertEqual(result.date, day(1))
        self.assertEqual(result.order_before, at(day(0), 16))
        self.assertEqual(result.lines[0].service, self.express.id)
        self.assertEqual(result.lines[0].site, self.depot.id)

    def test_just_after_the_cutoff_ships_the_next_working_day(self):
        result = self.promise(self.order(), at(day(0), 14, 1))
        self.assertEqual(result.lines[0].ship_date, day(1))
        self.assertEqual(result.date, day(2))

    def test_zone_outside_paris_takes_the_country_transit(self):
        lyon = self.customer.copy({"zip": "69001"})
        result = self.promise(self.order(partner=lyon), at(day(0), 9))
        self.assertEqual(result.date, day(2))

    def test_weekend_of_the_warehouse_calendar(self):
        # Friday 15:00: ready 17:00 after the cut-off; ships Monday, delivered Tuesday
        result = self.promise(self.order(), at(day(3), 15))
        self.assertEqual(result.lines[0].ship_date, day(6))
        self.assertEqual(result.date, day(7))

    def test_public_holiday_of_the_warehouse_calendar(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.office.id,
                "date_from": at(day(1), 0),
                "date_to": at(day(1), 23, 59),
            }
        )
        # Tuesday 16:30: handling Thursday 8:00-10:00 (Wednesday off), delivered Friday
        result = self.promise(self.order(), at(day(0), 16, 30))
        self.assertEqual(result.lines[0].ship_date, day(2))
        self.assertEqual(result.date, day(3))

    def test_out_of_stock_everywhere_promised_from_incoming_stock(self):
        self.env["stock.quant"]._update_available_quantity(
            self.shirt, self.depot.lot_stock_id, -100
        )
        order = self.order()
        order.action_omni_promise()
        self.assertFalse(order.omni_promise_date)
        self.assertIn("KPI Shirt: out of stock everywhere", order.omni_promise_note)
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.depot.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.depot.lot_stock_id.id,
                "scheduled_date": at(day(6), 10),
                "move_ids": [
                    Command.create(
                        {
                            "name": "KPI Shirt",
                            "product_id": self.shirt.id,
                            "product_uom_qty": 5,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.depot.lot_stock_id.id,
                            "date": at(day(6), 10),
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.date = at(day(6), 10)
        result = self.promise(order, at(day(0), 9))
        # received Monday 10:00, ready 12:00, ships Monday, delivered Tuesday
        self.assertEqual(result.date, day(7))
        self.assertEqual(result.lines[0].reasons[0].code, "from_incoming")

    def test_missing_transit_table_is_a_clear_answer(self):
        italy = self.customer.copy({"country_id": self.env.ref("base.it").id, "zip": "20121"})
        order = self.order(partner=italy)
        order.action_omni_promise()
        self.assertFalse(order.omni_promise_date)
        self.assertEqual(order.omni_promise_status, "none")
        self.assertIn(
            "Carrier KPI Express has no transit time to IT 20121", order.omni_promise_note
        )

    def test_carrier_without_cutoff_is_a_clear_answer(self):
        self.cutoff.unlink()
        order = self.order()
        order.action_omni_promise()
        self.assertIn(
            "Carrier KPI Express has no pickup cut-off at KPI Depot", order.omni_promise_note
        )

    def test_the_order_carrier_is_the_one_promised(self):
        shipping = self.env["product.product"].create({"name": "KPI slow", "type": "service"})
        slow = self.env["delivery.carrier"].create({"name": "KPI Slow", "product_id": shipping.id})
        self.env["omni.carrier.transit"].create(
            {"carrier_id": slow.id, "country_id": self.france.id, "transit_days": 4}
        )
        self.env["omni.carrier.cutoff"].create(
            {"carrier_id": slow.id, "warehouse_id": self.depot.id, "cutoff_time": 16.0, "tz": "UTC"}
        )
        order = self.order()
        self.assertEqual(self.promise(order, at(day(0), 9)).date, day(1))
        order.carrier_id = slow
        # Tuesday + 4 carrier days: Monday
        self.assertEqual(self.promise(order, at(day(0), 9)).date, day(6))
