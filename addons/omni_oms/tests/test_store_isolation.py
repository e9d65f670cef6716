from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .store_common import StoreCommon


@tagged("post_install", "-at_install")
class TestStoreIsolation(StoreCommon):
    """The staff of a store reach their store's orders, transfers and moves only, and
    cancelling an order, by anybody, leaves every store it touched consistent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = cls.env["omni.stock.pool"].create(
            {
                "name": "Store shelves",
                "warehouse_ids": [Command.set((cls.paris | cls.lyon).ids)],
                "channel_ids": [Command.link(cls.channel.id)],
            }
        )
        cls.salesman = new_test_user(
            cls.env,
            login="store_salesman",
            groups="sales_team.group_sale_salesman,stock.group_stock_user",
        )

    def ship_order_from(self, store):
        self.add_stock(self.lamp, store, 1)
        order = self.make_order([(self.lamp, 1)])
        self.assertEqual(order.omni_store_order_ids.store_id, store)
        return order

    def split_order(self):
        """An order shipped half by Paris, half by Lyon, both accepted (reserved)."""
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.shirt, self.lyon, 1)
        order = self.make_order([(self.shirt, 2)], user_id=self.salesman.id)
        self.assertEqual(order.omni_store_order_ids.store_id, self.paris | self.lyon)
        self.store_order(order, self.paris).with_user(self.staff_paris).action_accept()
        self.store_order(order, self.lyon).with_user(self.staff_lyon).action_accept()
        self.assertEqual(order.picking_ids.mapped("state"), ["assigned", "assigned"])
        return order

    def assert_cancelled_everywhere(self, order):
        self.assertEqual(order.state, "cancel")
        self.assertEqual(set(order.picking_ids.mapped("state")), {"cancel"})
        self.assertEqual(set(order.omni_store_order_ids.mapped("state")), {"cancel"})
        for store in (self.paris, self.lyon):
            quants = self.env["stock.quant"]._gather(self.shirt, store.lot_stock_id)
            self.assertEqual(sum(quants.mapped("reserved_quantity")), 0, store.name)
        self.assertEqual(self.pool._get_ats(self.shirt)[self.shirt.id], 2)

    def test_staff_reach_their_stores_sales_orders_only(self):
        paris_order = self.ship_order_from(self.paris)
        lyon_order = self.ship_order_from(self.lyon)
        Order = self.env["sale.order"].with_user(self.staff_lyon)
        self.assertEqual(Order.search([("id", "in", (paris_order | lyon_order).ids)]), lyon_order)
        intruder = paris_order.with_user(self.staff_lyon)
        with self.assertRaises(AccessError):
            intruder.read(["name"])
        with self.assertRaises(AccessError):
            intruder.write({"note": "mine now"})
        with self.assertRaises(AccessError):
            intruder.message_post(body="Cancelled by phone")
        with self.assertRaises(AccessError):
            intruder.with_context(disable_cancel_warning=True).action_cancel()
        with self.assertRaises(AccessError):
            paris_order.order_line.with_user(self.staff_lyon).read(["name"])
        self.assertEqual(paris_order.state, "sale")
        self.assertEqual(paris_order.omni_store_order_ids.state, "to_accept")
        lyon_order.with_user(self.staff_lyon).read(["name", "order_line"])

    def test_collect_orders_reach_the_pickup_store_staff(self):
        self.add_stock(self.shirt, self.paris, 1)
        order = self.collect_order()
        self.assertEqual(
            self.env["sale.order"].with_user(self.staff_paris).search([("id", "=", order.id)]),
            order,
        )
        self.assertFalse(
            self.env["sale.order"].with_user(self.staff_lyon).search([("id", "=", order.id)])
        )

    def test_staff_do_not_see_other_stores_moves(self):
        paris_order = self.ship_order_from(self.paris)
        lyon_order = self.ship_order_from(self.lyon)
        self.add_stock(self.lamp, self.marseille, 1)
        paris_moves = paris_order.picking_ids.move_ids
        paris_order.omni_store_order_ids.with_user(self.staff_paris).action_accept()
        self.assertTrue(paris_moves.move_line_ids)
        Move = self.env["stock.move"].with_user(self.staff_lyon)
        self.assertFalse(Move.search([("id", "in", paris_moves.ids)]))
        self.assertTrue(Move.search([("id", "in", lyon_order.picking_ids.move_ids.ids)]))
        with self.assertRaises(AccessError):
            paris_moves.with_user(self.staff_lyon).read(["product_uom_qty"])
        MoveLine = self.env["stock.move.line"].with_user(self.staff_lyon)
        self.assertFalse(MoveLine.search([("id", "in", paris_moves.move_line_ids.ids)]))
        resupply = self.env["stock.move"].create(
            {
                "name": "to Paris",
                "product_id": self.lamp.id,
                "product_uom_qty": 1,
                "location_id": self.marseille.lot_stock_id.id,
                "location_dest_id": self.paris.lot_stock_id.id,
            }
        )
        self.assertFalse(Move.search([("id", "=", resupply.id)]), "it goes to another store")
        self.assertTrue(
            self.env["stock.move"].with_user(self.staff_paris).search([("id", "=", resupply.id)])
        )
        self.assertTrue(
            self.env["stock.move"].with_user(self.user_manager).search([("id", "=", resupply.id)])
        )

    def test_staff_cancelling_an_order_reaches_the_other_stores(self):
        order = self.split_order()
        order.with_user(self.staff_paris).with_context(disable_cancel_warning=True).action_cancel()
        self.assert_cancelled_everywhere(order)

    def test_salesperson_cancelling_an_order_reaches_every_store(self):
        order = self.split_order()
        order.with_user(self.salesman).with_context(disable_cancel_warning=True).action_cancel()
        self.assert_cancelled_everywhere(order)

    def test_cancelling_a_collect_order_stops_its_resupply(self):
        self.add_stock(self.shirt, self.marseille, 3)
        order = self.collect_order(quantity=2)
        store_order = order.omni_store_order_ids
        resupply = store_order.resupply_picking_id
        self.assertTrue(resupply)
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(store_order.state, "cancel")
        self.assertEqual(order.picking_ids.state, "cancel")
        self.assertEqual(resupply.state, "cancel")
        product = self.shirt.with_context(warehouse_id=self.marseille.id)
        self.assertEqual(product.free_qty, 3)
