import datetime as dt

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.omni_base.tests.common import OmniCommon


def next_wednesday_morning():
    """Wednesday 09:00 UTC of this week or the next: close to the real date, so that
    the browser keeps the session cookies the server sets."""
    today = fields.Date.today()
    wednesday = today + dt.timedelta(days=(2 - today.weekday()) % 7)
    return dt.datetime.combine(wednesday, dt.time(9))


@tagged("post_install", "-at_install")
class TestWebsitePromise(OmniCommon, HttpCase):
    """The promise on the product page and in the cart, worded for shoppers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["omni.routing.rule"].search([]).active = False
        # the carrier tables of the demo or of other tests stay out of this promise
        cls.env["omni.carrier.transit"].search([]).active = False
        cls.env["omni.carrier.cutoff"].search([]).active = False
        cls.website = cls.env["website"].get_current_website()
        cls.company = cls.website.company_id
        calendar = cls.env["resource.calendar"].create(
            {
                "name": "Web promise office",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {weekday}",
                            "dayofweek": str(weekday),
                            "hour_from": 8.0,
                            "hour_to": 17.0,
                            "day_period": "morning",
                        }
                    )
                    for weekday in range(5)
                ],
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse.write({"omni_work_calendar_id": calendar.id, "omni_handling_hours": 2.0})
        shipping = cls.env["product.product"].create({"name": "Web promise", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {"name": "Web Promise Express", "product_id": shipping.id}
        )
        cls.env["omni.carrier.transit"].create(
            {"carrier_id": cls.carrier.id, "transit_days": 1, "company_id": cls.company.id}
        )
        cls.env["omni.carrier.cutoff"].create(
            {
                "carrier_id": cls.carrier.id,
                "warehouse_id": cls.warehouse.id,
                "cutoff_time": 16.0,
                "tz": "UTC",
            }
        )
        cls.lamp = cls.env["product.product"].create(
            {
                "name": "Promise Lamp",
                "is_storable": True,
                "list_price": 30.0,
                "website_published": True,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.warehouse.lot_stock_id, 10)
        cls.Service = cls.env["omni.promise.service"]

    def text(self, now, product=None):
        result = self.Service._promise_cart(
            self.company,
            self.website.salesteam_id,
            [(1, product or self.lamp, 1.0, "lamp")],
            self.website._omni_promise_destination(),
            now=now,
        )
        return self.Service._promise_text(result, now=now)

    def test_order_within_the_time_left_before_the_cutoff(self):
        # Tuesday 2 December 2025 11:50: ready 13:50, 16:00 cut-off, one day of transit
        self.assertEqual(
            self.text(dt.datetime(2025, 12, 2, 11, 50)),
            "Order within 4 h 10 min, delivered tomorrow",
        )
        self.assertEqual(
            self.text(dt.datetime(2025, 12, 2, 13, 50)),
            "Order within 2 h 10 min, delivered tomorrow",
        )

    def test_after_the_cutoff_the_day_is_named(self):
        # Tuesday 15:00: ready 17:00, ships Wednesday, delivered Thursday
        self.assertEqual(self.text(dt.datetime(2025, 12, 2, 15)), "Delivered Thursday")
        # Friday after the cut-off: ships Monday, delivered Tuesday (in five days)
        self.assertEqual(self.text(dt.datetime(2025, 12, 5, 15)), "Delivered Tuesday")

    def test_no_promise_no_text(self):
        self.env["stock.quant"]._update_available_quantity(
            self.lamp, self.warehouse.lot_stock_id, -10
        )
        self.assertFalse(self.text(dt.datetime(2025, 12, 2, 9)))
        service = self.env["product.product"].create({"name": "Gift wrap", "type": "service"})
        self.assertFalse(self.website._omni_product_promise_text(service))

    def test_promise_on_the_product_page_and_in_the_cart(self):
        # Wednesday 09:00: ready 11:00, before the 16:00 cut-off, delivered Thursday
        with freeze_time(next_wednesday_morning(), tick=True):
            self.start_tour("/shop", "omni_oms_website_sale_promise", login=None)
