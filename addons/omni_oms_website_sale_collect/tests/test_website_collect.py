import json

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.omni_oms.tests.routing_common import RoutingCommon


@tagged("post_install", "-at_install")
class TestWebsiteCollect(RoutingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env, login="web_collect_staff", groups="omni_base.group_omni_store_staff"
        )
        cls.paris.write(
            {
                "omni_is_store": True,
                "omni_click_collect": True,
                "omni_opening_hours_id": cls.env["resource.calendar"]
                .create({"name": "Web Collect Hours"})
                .id,
                "omni_staff_ids": [Command.set(cls.staff.ids)],
            }
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Pick up in store",
                "delivery_type": "in_store",
                "product_id": cls.env["product.product"]
                .create({"name": "In-store pickup", "type": "service"})
                .id,
                "warehouse_ids": [Command.set((cls.paris | cls.lyon).ids)],
            }
        )

    def checkout(self, store):
        """The cart of a customer who chose ``store`` at checkout."""
        order = self.make_order([(self.shirt, 1)], confirm=False, warehouse_id=self.marseille.id)
        order.set_delivery_line(self.carrier, 0.0)
        order._set_pickup_location(
            json.dumps(
                {
                    "id": store.id,
                    "name": store.name,
                    "street": "1 rue du Commerce",
                    "city": "Paris",
                    "zip_code": "75015",
                    "country_code": "FR",
                }
            )
        )
        return order

    def test_website_pickup_store_flows_through_the_store_workflow(self):
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.shirt, self.lyon, 5)
        order = self.checkout(self.paris)
        self.assertEqual(order.omni_pickup_store_id, self.paris)
        order.action_confirm()
        self.assertEqual(order.picking_ids.picking_type_id.warehouse_id, self.paris)
        store_order = order.omni_store_order_ids.with_user(self.staff)
        self.assertEqual(store_order.fulfilment, "collect")
        store_order.action_accept()
        store_order.action_ready()
        self.assertTrue(store_order._hand_over(store_order.sudo().pickup_code))
        self.assertEqual(order.picking_ids.state, "done")

    def test_store_without_click_collect_keeps_odoo_behaviour(self):
        order = self.checkout(self.lyon)
        self.assertEqual(order.warehouse_id, self.lyon)
        self.assertFalse(order.omni_pickup_store_id)

    def test_changing_delivery_method_drops_the_pickup_store(self):
        order = self.checkout(self.paris)
        home = self.carrier.copy({"name": "Home", "delivery_type": "fixed"})
        order.set_delivery_line(home, 5.0)
        self.assertFalse(order.omni_pickup_store_id)
