from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestOmsGenerator(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dataset = cls.env["omni.demo.generator"]._generate(
            stores=3, products=10, customers=10, orders=40, prefix="TOMS", seed=3
        )

    def test_channels_of_every_type(self):
        channels = self.dataset["channels"]
        self.assertEqual(
            set(channels.mapped("omni_channel_type")), {"web", "marketplace", "b2b", "store"}
        )

    def test_stores_are_flagged_with_opening_hours(self):
        stores = self.dataset["stores"]
        self.assertTrue(all(stores.mapped("omni_is_store")))
        self.assertFalse(any(self.dataset["distribution_centers"].mapped("omni_is_store")))
        for store in stores:
            days = set(store.omni_opening_hours_id.attendance_ids.mapped("dayofweek"))
            self.assertGreaterEqual(len(days), 6, store.name)

    def test_orders_in_various_states(self):
        orders = self.dataset["orders"]
        self.assertEqual(len(orders), 40)
        self.assertGreaterEqual(set(orders.mapped("state")), {"draft", "sale", "cancel"})
        delivered = orders.filtered(
            lambda order: order.picking_ids and all(p.state == "done" for p in order.picking_ids)
        )
        self.assertTrue(delivered, "some orders were shipped")
        self.assertTrue(all(line.qty_delivered for line in delivered.order_line))

    def test_store_channel_orders_ship_from_a_store(self):
        orders = self.dataset["orders"].filtered(
            lambda order: order.team_id.omni_channel_type == "store"
        )
        self.assertTrue(orders)
        self.assertLessEqual(orders.warehouse_id, self.dataset["stores"])
        others = self.dataset["orders"] - orders
        self.assertEqual(others.warehouse_id, self.dataset["distribution_centers"][0])
