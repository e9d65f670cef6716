from odoo import Command
from odoo.tests import tagged

from .store_common import StoreCommon


@tagged("post_install", "-at_install")
class TestStandardAccess(StoreCommon):
    """What Omni's order management adds to Odoo's documents never keeps a user of
    Odoo's own groups from reading them."""

    def test_standard_users_read_what_omni_oms_adds(self):
        self.env["omni.stock.pool"].create(
            {
                "name": "Standard shelves",
                "warehouse_ids": [Command.set(self.warehouses.ids)],
                "channel_ids": [Command.link(self.channel.id)],
            }
        )
        self.add_stock(self.lamp, self.paris, 1)
        order = self.make_order([(self.lamp, 1)])
        self.assertTrue(order.omni_store_order_ids and order.omni_decision_ids)
        self.assert_standard_users_read(
            "omni_oms",
            [
                order,
                order.order_line,
                order.picking_ids,
                self.channel,
                self.paris,
                self.lamp.product_tmpl_id,
            ],
        )
