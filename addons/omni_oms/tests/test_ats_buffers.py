from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AtsCommon


@tagged("post_install", "-at_install")
class TestAtsBuffers(AtsCommon):
    def buffer(self, **vals):
        vals.setdefault("buffer_type", "percent" if "percentage" in vals else "fixed")
        return self.env["omni.stock.pool.buffer"].create({"pool_id": self.pool.id, **vals})

    def test_fixed_and_percentage_buffers(self):
        self.add_stock(self.lamp, self.dc, 20)
        general = self.buffer(quantity=3)
        self.assertEqual(self.ats(self.lamp), 17)
        general.write({"buffer_type": "percent", "percentage": 25})
        self.assertEqual(self.ats(self.lamp), 15)
        self.assertEqual(self.pool._get_ats_details(self.lamp)[self.lamp.id]["buffer"], 5)

    def test_never_below_zero(self):
        self.add_stock(self.lamp, self.dc, 2)
        self.buffer(quantity=5)
        self.assertEqual(self.ats(self.lamp), 0)
        self.assertEqual(self.pool._get_ats_details(self.lamp)[self.lamp.id]["buffer"], 2)

    def test_most_specific_buffer_wins(self):
        for product in self.sneaker | self.boot | self.lamp:
            self.add_stock(product, self.dc, 100)
        self.buffer(quantity=1)
        self.buffer(categ_id=self.categ_shoes.id, quantity=10)
        self.assertEqual(self.ats(self.lamp), 99, "the whole pool's buffer")
        self.assertEqual(self.ats(self.sneaker), 90, "its category's buffer")
        self.assertEqual(self.ats(self.boot), 90, "its parent category's buffer")
        self.buffer(categ_id=self.categ_boots.id, quantity=20)
        self.assertEqual(self.ats(self.boot), 80, "its own category is closer")
        self.buffer(product_id=self.boot.id, quantity=0)
        self.assertEqual(self.ats(self.boot), 100, "the product's own buffer, even zero, wins")

    def test_warehouse_buffer_keeps_units_in_that_warehouse(self):
        self.add_stock(self.sneaker, self.dc, 10)
        self.add_stock(self.sneaker, self.store, 3)
        self.add_stock(self.boot, self.store, 1)
        self.buffer(warehouse_id=self.store.id, quantity=2)
        self.assertEqual(self.ats(self.sneaker), 11, "10 in the depot, 3 - 2 in the shop")
        self.assertEqual(self.ats(self.boot), 0)
        self.add_stock(self.boot, self.dc, 4)
        self.assertEqual(self.ats(self.boot), 4, "the shop's buffer takes nothing elsewhere")

    def test_warehouse_and_pool_buffers_add_up(self):
        self.add_stock(self.sneaker, self.dc, 10)
        self.add_stock(self.sneaker, self.store, 10)
        self.buffer(warehouse_id=self.store.id, percentage=50)
        self.buffer(warehouse_id=self.store.id, product_id=self.sneaker.id, quantity=4)
        self.buffer(quantity=1)
        self.assertEqual(self.ats(self.sneaker), 15, "10 + (10 - 4) - 1")
        self.add_stock(self.lamp, self.store, 10)
        self.assertEqual(self.ats(self.lamp), 4, "10 - 50% - 1")

    def test_warehouse_buffer_does_not_hide_a_shortage(self):
        self.add_stock(self.sneaker, self.dc, 10)
        self.add_stock(self.sneaker, self.store, 1)
        self.sale_order([(self.sneaker, 3)], warehouse=self.store).action_confirm()
        self.buffer(warehouse_id=self.store.id, quantity=2)
        self.assertEqual(self.ats(self.sneaker), 8, "the shop owes 2 units to the pool")

    def test_buffers_apply_to_incoming_stock(self):
        self.pool.incoming_days = 10
        self.receipt(self.dc, [(self.lamp, 10)], days=1)
        self.buffer(percentage=20)
        self.assertEqual(self.ats(self.lamp), 8)

    # Bad input ------------------------------------------------------------------------

    def test_negative_buffer_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative, set 0 or more"):
            self.buffer(quantity=-1)

    def test_percentage_out_of_range_is_refused(self):
        for percentage in (-5, 100.5):
            with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
                self.buffer(percentage=percentage)

    def test_product_and_category_together_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "both a product and a category"):
            self.buffer(product_id=self.lamp.id, categ_id=self.categ_root.id, quantity=1)

    def test_warehouse_outside_the_pool_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "ATS Elsewhere, which pool ATS web pool"):
            self.buffer(warehouse_id=self.outside.id, quantity=1)

    def test_two_buffers_with_one_scope_are_refused(self):
        self.buffer(categ_id=self.categ_shoes.id, quantity=1)
        with self.assertRaisesRegex(ValidationError, "several buffers for Whole pool / "):
            self.buffer(categ_id=self.categ_shoes.id, percentage=5)

    def test_pool_configuration_is_checked(self):
        Pool = self.env["omni.stock.pool"]
        with self.assertRaisesRegex(ValidationError, "sells from nowhere"):
            Pool.create({"name": "Empty"})
        with self.assertRaisesRegex(ValidationError, "set 0 .* or a positive number of days"):
            self.pool.incoming_days = -2
        with self.assertRaisesRegex(ValidationError, "only sell from internal locations"):
            self.pool.location_ids = self.customer_location
        with self.assertRaisesRegex(ValidationError, "a channel sells from one pool"):
            Pool.create(
                {
                    "name": "Second web pool",
                    "warehouse_ids": [Command.link(self.outside.id)],
                    "channel_ids": [Command.link(self.channel.id)],
                }
            )
