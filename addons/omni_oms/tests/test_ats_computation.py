from odoo import Command
from odoo.tests import tagged

from .common import AtsCommon


@tagged("post_install", "-at_install")
class TestAtsComputation(AtsCommon):
    def test_stock_of_the_pool_warehouses_only(self):
        shelf = self.env["stock.location"].create(
            {"name": "Shelf A", "location_id": self.dc.lot_stock_id.id}
        )
        self.add_stock(self.sneaker, self.dc, 10)
        self.add_stock(self.sneaker, shelf, 4)
        self.add_stock(self.sneaker, self.store, 3)
        self.add_stock(self.sneaker, self.outside, 50)
        self.assertEqual(self.ats(self.sneaker), 17)
        self.assertEqual(self.ats(self.boot), 0, "no stock anywhere")
        self.assertEqual(
            self.pool._get_ats_details(self.sneaker)[self.sneaker.id],
            {
                "on_hand": 17.0,
                "reserved": 0.0,
                "outgoing": 0.0,
                "incoming": 0.0,
                "buffer": 0.0,
                "ats": 17.0,
            },
        )

    def test_pool_of_locations(self):
        shelf = self.env["stock.location"].create(
            {"name": "Web shelf", "location_id": self.outside.lot_stock_id.id}
        )
        bin_ = self.env["stock.location"].create({"name": "Bin 1", "location_id": shelf.id})
        self.add_stock(self.lamp, bin_, 6)
        self.add_stock(self.lamp, self.outside, 40)
        self.pool.location_ids = shelf
        self.assertEqual(self.ats(self.lamp), 6, "the sub-locations of a pool location count")

    def test_confirmed_order_lowers_ats_reserved_or_not(self):
        self.add_stock(self.sneaker, self.dc, 10)
        self.add_stock(self.sneaker, self.store, 5)
        self.sale_order([(self.sneaker, 4)]).action_confirm()
        self.assertEqual(self.ats(self.sneaker), 11)
        # an order waiting for stock that its warehouse lacks still takes it from the pool
        self.sale_order([(self.boot, 3)], warehouse=self.dc).action_confirm()
        self.add_stock(self.boot, self.store, 5)
        self.assertEqual(self.ats(self.boot), 2)
        details = self.pool._get_ats_details(self.boot)[self.boot.id]
        self.assertEqual((details["on_hand"], details["outgoing"]), (5, 3))

    def test_two_step_delivery_counts_the_order_once(self):
        self.dc.delivery_steps = "pick_ship"
        self.add_stock(self.sneaker, self.dc, 10)
        order = self.sale_order([(self.sneaker, 4)])
        order.action_confirm()
        pick = order.picking_ids
        self.assertEqual(pick.picking_type_id, self.dc.pick_type_id)
        self.assertEqual(self.ats(self.sneaker), 6, "picked for a customer: sold")
        self.validate(pick)
        ship = order.picking_ids - pick
        self.assertEqual(ship.picking_type_id, self.dc.out_type_id)
        self.assertEqual(self.ats(self.sneaker), 6, "waiting in the output area: still sold")
        self.validate(ship)
        self.assertEqual(self.ats(self.sneaker), 6)

    def test_transfer_inside_the_pool_changes_nothing(self):
        self.add_stock(self.lamp, self.dc, 8)
        transfer = self.make_picking(
            self.dc.int_type_id, self.dc.lot_stock_id, self.store.lot_stock_id, [(self.lamp, 5)]
        )
        self.assertEqual(self.ats(self.lamp), 8)
        self.validate(transfer)
        self.assertEqual(self.ats(self.lamp), 8)

    def test_incoming_within_the_horizon(self):
        self.add_stock(self.lamp, self.dc, 2)
        self.receipt(self.dc, [(self.lamp, 10)], days=3)
        self.receipt(self.dc, [(self.lamp, 100)], days=20)
        self.assertEqual(self.ats(self.lamp), 2, "no horizon: stock on hand only")
        self.pool.incoming_days = 7
        self.assertEqual(self.ats(self.lamp), 12)
        self.assertEqual(self.pool._get_ats_details(self.lamp)[self.lamp.id]["incoming"], 10)
        self.pool.incoming_days = 30
        self.assertEqual(self.ats(self.lamp), 112)

    def test_incoming_covers_orders_waiting_for_it_first(self):
        self.pool.incoming_days = 7
        self.receipt(self.dc, [(self.boot, 10)], days=2)
        self.sale_order([(self.boot, 6)]).action_confirm()
        self.assertEqual(self.ats(self.boot), 4)

    def test_draft_and_cancelled_moves_do_not_count(self):
        self.pool.incoming_days = 7
        self.add_stock(self.lamp, self.dc, 5)
        self.sale_order([(self.lamp, 2)])  # a quotation
        cancelled = self.receipt(self.dc, [(self.lamp, 4)], days=1)
        cancelled.action_cancel()
        self.assertEqual(self.ats(self.lamp), 5)

    def test_percentage_buffers_keep_whole_units(self):
        self.env["omni.stock.pool.buffer"].create(
            {"pool_id": self.pool.id, "buffer_type": "percent", "percentage": 10}
        )
        self.add_stock(self.lamp, self.dc, 15)
        self.assertEqual(self.ats(self.lamp), 13, "10% of 15 units: 2 units kept back")

    def test_quantities_in_the_unit_of_the_product(self):
        flour = self._create_product(
            "ATS-FLOUR", self.categ_shoes, uom_id=self.ref("uom.product_uom_kgm")
        )
        self.env["omni.stock.pool.buffer"].create(
            {
                "pool_id": self.pool.id,
                "categ_id": self.categ_shoes.id,
                "buffer_type": "fixed",
                "quantity": 0.25,
            }
        )
        self.add_stock(flour, self.dc, 12.5)
        self.assertEqual(self.ats(flour), 12.25)

    def test_where_the_stock_is(self):
        self.add_stock(self.sneaker, self.dc, 10)
        self.add_stock(self.sneaker, self.store, 3)
        self.add_stock(self.boot, self.store, 2)
        self.env["omni.stock.pool.buffer"].create(
            {
                "pool_id": self.pool.id,
                "warehouse_id": self.store.id,
                "buffer_type": "fixed",
                "quantity": 1,
            }
        )
        self.assertEqual(
            self.pool._get_ats_by_warehouse(self.sneaker | self.boot),
            {
                (self.sneaker.id, self.dc.id): 10,
                (self.sneaker.id, self.store.id): 2,
                (self.boot.id, self.store.id): 1,
            },
        )

    def test_any_set_of_warehouses_without_a_saved_pool(self):
        """Routing asks for the ATS of candidate locations with an unsaved pool."""
        self.add_stock(self.sneaker, self.dc, 10)
        self.add_stock(self.sneaker, self.store, 3)
        self.add_stock(self.sneaker, self.outside, 7)
        candidates = self.env["omni.stock.pool"].new(
            {"warehouse_ids": [Command.set((self.store | self.outside).ids)]}
        )
        self.assertEqual(candidates._get_ats(self.sneaker), {self.sneaker.id: 10})

    def test_all_products_at_once(self):
        self.add_stock(self.sneaker, self.dc, 1)
        self.add_stock(self.boot, self.store, 2)
        self.add_stock(self.lamp, self.outside, 3)
        ats = self.pool._get_ats()
        self.assertEqual((ats[self.sneaker.id], ats[self.boot.id]), (1, 2))
        self.assertNotIn(self.lamp.id, ats)
