from odoo import Command
from odoo.tests import tagged

from odoo.addons.omni_oms.tests.routing_common import RoutingCommon

from ..hooks import post_init_hook


@tagged("post_install", "-at_install")
class TestWebsitePickupStores(RoutingCommon):
    """Stores offering click & collect are the stores of the website's in-store pickup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hours = cls.env["resource.calendar"].create({"name": "Pickup Store Hours"})
        cls.pickup = cls._pickup_method("Pick up in our stores")
        other_company = cls.env["res.company"].create({"name": "Other Pickup Company"})
        cls.other_pickup = cls._pickup_method("Pick up elsewhere", company=other_company)

    @classmethod
    def _pickup_method(cls, name, company=None):
        product = cls.env["product.product"].create(
            {"name": name, "type": "service", "company_id": company and company.id}
        )
        return cls.env["delivery.carrier"].create(
            {"name": name, "delivery_type": "in_store", "product_id": product.id}
        )

    def _offer_click_collect(self, warehouse):
        warehouse.write(
            {
                "omni_is_store": True,
                "omni_click_collect": True,
                "omni_opening_hours_id": self.hours.id,
            }
        )

    def test_a_store_offering_click_collect_is_offered_at_website_pickup(self):
        self._offer_click_collect(self.paris)
        self.assertIn(self.paris, self.pickup.warehouse_ids)
        self.assertIn(
            self.paris, self.env.ref("website_sale_collect.carrier_pick_up_in_store").warehouse_ids
        )
        self.assertNotIn(self.paris, self.other_pickup.warehouse_ids, "another company's")

    def test_a_store_created_with_click_collect_is_offered_at_website_pickup(self):
        store = self.env["stock.warehouse"].create(
            {
                "name": "Pickup Store Lille",
                "code": "PLIL",
                "omni_is_store": True,
                "omni_click_collect": True,
                "omni_opening_hours_id": self.hours.id,
            }
        )
        self.assertIn(store, self.pickup.warehouse_ids)

    def test_a_store_that_stops_offering_click_collect_is_withdrawn(self):
        self._offer_click_collect(self.paris)
        self.pickup.warehouse_ids = [Command.link(self.lyon.id)]
        self.paris.omni_click_collect = False
        self.assertNotIn(self.paris, self.pickup.warehouse_ids)
        self.lyon.write({"omni_is_store": False, "omni_click_collect": False})
        self.assertIn(self.lyon, self.pickup.warehouse_ids, "Odoo's own pickup stays")

    def test_installing_offers_the_stores_offering_click_collect(self):
        self._offer_click_collect(self.paris)
        self.pickup.warehouse_ids = [Command.unlink(self.paris.id)]
        post_init_hook(self.env)
        self.assertIn(self.paris, self.pickup.warehouse_ids)
        self.assertNotIn(self.lyon, self.pickup.warehouse_ids)

    def test_the_website_shows_the_store_s_own_opening_hours(self):
        hours = self.env["resource.calendar"].create({"name": "Late opening"})
        self.paris.omni_opening_hours_id = hours
        self.assertEqual(self.paris.opening_hours, hours)
        self.lyon.opening_hours = hours
        self.assertEqual(self.lyon.opening_hours, hours, "still set where Omni has none")
