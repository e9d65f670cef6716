from datetime import timedelta

from odoo import Command, fields

from odoo.addons.omni_base.tests.common import OmniCommon


class AtsCommon(OmniCommon):
    """A distribution center and a store in a web shop pool, a warehouse outside it,
    and storable products in a small category tree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warehouse = cls.env["stock.warehouse"]
        cls.dc = Warehouse.create({"name": "ATS Depot", "code": "ATSD"})
        cls.store = Warehouse.create({"name": "ATS Shop", "code": "ATSS", "omni_is_store": True})
        cls.outside = Warehouse.create({"name": "ATS Elsewhere", "code": "ATSO"})
        cls.customer = cls.env["res.partner"].create({"name": "ATS Customer"})
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        Category = cls.env["product.category"]
        cls.categ_root = Category.create({"name": "ATS Goods"})
        cls.categ_shoes = Category.create({"name": "ATS Shoes", "parent_id": cls.categ_root.id})
        cls.categ_boots = Category.create({"name": "ATS Boots", "parent_id": cls.categ_shoes.id})
        cls.sneaker = cls._create_product("ATS-SNEAKER", cls.categ_shoes)
        cls.boot = cls._create_product("ATS-BOOT", cls.categ_boots)
        cls.lamp = cls._create_product("ATS-LAMP", cls.categ_root)
        cls.channel = cls.env["crm.team"].create(
            {"name": "ATS Web", "omni_channel_type": "web", "company_id": cls.env.company.id}
        )
        cls.pool = cls.env["omni.stock.pool"].create(
            {
                "name": "ATS web pool",
                "warehouse_ids": [Command.set((cls.dc | cls.store).ids)],
                "channel_ids": [Command.link(cls.channel.id)],
            }
        )

    @classmethod
    def _create_product(cls, code, category, **vals):
        return cls.env["product.product"].create(
            {
                "name": code.title(),
                "default_code": code,
                "is_storable": True,
                "categ_id": category.id,
                **vals,
            }
        )

    def add_stock(self, product, warehouse_or_location, quantity):
        location = getattr(warehouse_or_location, "lot_stock_id", warehouse_or_location)
        self.env["stock.quant"]._update_available_quantity(product, location, quantity)

    def ats(self, product, pool=None):
        """The ATS computed now, in this transaction."""
        pool = pool or self.pool
        return pool._get_ats(product).get(product.id, 0.0)

    @classmethod
    def publish_ats(cls):
        """Queue this transaction's changes as its commit does, and publish the queue
        as the scheduled action does."""
        cls.env.cr.flush()
        cls.env["omni.stock.pool"]._cron_publish_ats_queue()

    def published(self, product, pool=None):
        """The ATS the channels read, once this transaction's changes are published."""
        self.publish_ats()
        row = self.env["omni.stock.pool.ats"].search(
            [("pool_id", "=", (pool or self.pool).id), ("product_id", "=", product.id)]
        )
        return row.qty_ats if row else None

    def make_picking(self, picking_type, source, destination, lines, date=None):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "partner_id": self.customer.id,
                "scheduled_date": date or fields.Datetime.now(),
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "date": date or fields.Datetime.now(),
                        }
                    )
                    for product, quantity in lines
                ],
            }
        )
        picking.action_confirm()
        return picking

    def receipt(self, warehouse, lines, days=0):
        return self.make_picking(
            warehouse.in_type_id,
            self.supplier_location,
            warehouse.lot_stock_id,
            lines,
            date=fields.Datetime.now() + timedelta(days=days),
        )

    def validate(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(picking.state, "done")

    def sale_order(self, lines, warehouse=None, channel=None, **vals):
        return self.env["sale.order"].create(
            {
                **vals,
                "partner_id": self.customer.id,
                "team_id": (channel or self.channel).id,
                "warehouse_id": (warehouse or self.dc).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity})
                    for product, quantity in lines
                ],
            }
        )
