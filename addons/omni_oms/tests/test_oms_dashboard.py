from odoo.tests import tagged

from .store_common import StoreCommon

TILES = {
    "held": "omni_oms.omni_dashboard_tile_held_orders",
    "to_accept": "omni_oms.omni_dashboard_tile_store_to_accept",
    "accepted": "omni_oms.omni_dashboard_tile_store_preparing",
    "ready": "omni_oms.omni_dashboard_tile_store_ready",
}


@tagged("post_install", "-at_install")
class TestOmsDashboard(StoreCommon):
    """omni_oms's tiles on Omni's overview: held orders, the store queue per step."""

    def tile(self, key, user):
        return self.env.ref(TILES[key]).with_user(user)

    def visible_tiles(self, user):
        tiles = self.env["omni.dashboard.tile"].with_user(user).search([])
        return {key for key, xmlid in TILES.items() if self.env.ref(xmlid) in tiles}

    def test_each_user_sees_the_tiles_of_their_work(self):
        self.assertEqual(self.visible_tiles(self.user_manager), set(TILES))
        self.assertEqual(self.visible_tiles(self.staff_paris), {"to_accept", "accepted", "ready"})
        self.assertFalse(self.visible_tiles(self.user_operator))

    def test_held_orders_tile_opens_them(self):
        tile = self.tile("held", self.user_manager)
        before = tile.count
        held = self.make_order([(self.shirt, 1)])
        self.assertEqual(held.omni_routing_state, "held")
        tile.invalidate_recordset(["count"])
        self.assertEqual(tile.count, before + 1)
        action = tile.action_open()
        self.assertEqual(action["res_model"], "sale.order")
        orders = self.env["sale.order"].with_user(self.user_manager).search(action["domain"])
        self.assertIn(held, orders)
        self.assertEqual(len(orders), before + 1)

    def test_store_queue_counted_per_step_for_each_store(self):
        self.add_stock(self.shirt, self.paris, 3)
        waiting, accepted = (self.make_order([(self.shirt, 1)]) for _order in range(2))
        accepted.omni_store_order_ids.with_user(self.staff_paris).action_accept()
        counts = {key: self.tile(key, self.staff_paris).count for key in ("to_accept", "accepted")}
        self.assertEqual(counts, {"to_accept": 1, "accepted": 1})
        self.assertEqual(self.tile("to_accept", self.staff_lyon).count, 0)
        action = self.tile("to_accept", self.staff_paris).action_open()
        self.assertEqual(action["res_model"], "omni.store.order")
        self.assertEqual(action["views"][0][1], "list")
        self.assertEqual(
            self.env["omni.store.order"].with_user(self.staff_paris).search(action["domain"]),
            waiting.omni_store_order_ids,
        )
