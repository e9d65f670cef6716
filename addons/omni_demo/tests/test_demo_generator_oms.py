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

    def test_a_stock_pool_per_channel(self):
        pools = self.dataset["stock_pools"]
        self.assertEqual(pools.channel_ids, self.dataset["channels"])
        by_type = {pool.channel_ids.omni_channel_type: pool for pool in pools}
        centers, stores = self.dataset["distribution_centers"], self.dataset["stores"]
        self.assertEqual(by_type["web"].warehouse_ids, centers | stores)
        self.assertEqual(len(by_type["web"].buffer_ids.warehouse_id), len(stores))
        self.assertEqual(by_type["marketplace"].warehouse_ids, centers)
        self.assertEqual(by_type["marketplace"].buffer_ids.percentage, 10)
        self.assertTrue(by_type["marketplace"].block_oversell)
        self.assertEqual(by_type["b2b"].warehouse_ids, centers[:1])
        self.assertEqual(by_type["b2b"].incoming_days, 14)
        self.assertEqual(by_type["store"].warehouse_ids, stores)

    def test_pools_publish_what_they_can_sell(self):
        rows = self.env["omni.stock.pool.ats"].search(
            [("pool_id", "in", self.dataset["stock_pools"].ids)]
        )
        self.assertEqual(rows.product_id, self.dataset["products"])
        for pool in self.dataset["stock_pools"]:
            published = {
                row.product_id.id: row.qty_ats
                for row in rows.filtered(lambda r, p=pool: r.pool_id == p)
            }
            computed = pool._get_ats(self.dataset["products"])
            self.assertEqual(
                {product_id: qty for product_id, qty in published.items() if qty},
                {product_id: qty for product_id, qty in computed.items() if qty},
                pool.name,
            )

    def test_store_queue_in_every_state(self):
        store_orders = self.dataset["store_orders"]
        self.assertGreaterEqual(
            set(store_orders.mapped("state")), {"to_accept", "accepted", "ready", "done"}
        )
        self.assertEqual(set(store_orders.mapped("fulfilment")), {"ship", "collect"})
        ready = store_orders.filtered(lambda store_order: store_order.state == "ready")
        self.assertIn("collect", ready.mapped("fulfilment"), "one to hand over at the counter")
        for store in self.dataset["stores"]:
            self.assertTrue(store.omni_click_collect)
            self.assertTrue(store.omni_staff_ids, store.name)

    def test_deliveries_take_only_stock_on_hand(self):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "in", self.dataset["products"].ids),
                ("location_id.usage", "=", "internal"),
            ]
        )
        self.assertFalse(quants.filtered(lambda quant: quant.quantity < 0))

    def test_an_order_held_for_a_product_the_network_lacks(self):
        held = self.dataset["held_orders"]
        self.assertEqual(held.omni_routing_state, "held")
        line = held.order_line
        self.assertGreater(line.product_uom_qty, 0)
        free = sum(
            quant.quantity - quant.reserved_quantity
            for quant in self.env["stock.quant"].search(
                [("product_id", "=", line.product_id.id), ("location_id.usage", "=", "internal")]
            )
        )
        self.assertGreater(line.product_uom_qty, free)
