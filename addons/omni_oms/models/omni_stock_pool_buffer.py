from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine.ats_buffers import FIXED, PERCENT, Buffer


class OmniStockPoolBuffer(models.Model):
    """Units a stock pool keeps out of what its channels may sell.

    Scope: the whole pool, or one warehouse/store of it; narrowed to a product
    category or to a product. For a product, the most specific buffer of each level
    wins (product, then closest category, then the whole level); the warehouse's
    buffer applies to that warehouse's stock, then the pool's to the total. See
    ``engine.ats_buffers``.
    """

    _name = "omni.stock.pool.buffer"
    _description = "Stock Pool Safety Buffer"
    _order = "pool_id, warehouse_id, product_id, categ_id, id"
    _check_company_auto = True

    pool_id = fields.Many2one(
        "omni.stock.pool", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="pool_id.company_id", store=True, index=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Warehouse / Store",
        check_company=True,
        help="Keep the units in this warehouse or store (e.g. for walk-in customers). "
        "Empty: the buffer applies to the pool's total.",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        help="Only for products of this category and its sub-categories.",
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        domain="[('is_storable', '=', True)]",
        help="Only for this product; it wins over category and general buffers.",
    )
    buffer_type = fields.Selection(
        [(FIXED, "Fixed quantity"), (PERCENT, "Percentage")],
        string="Type",
        required=True,
        default=FIXED,
    )
    quantity = fields.Float(
        digits="Product Unit of Measure",
        help="Units kept back, in the product's unit of measure.",
    )
    percentage = fields.Float(
        digits=(5, 2), help="Share of the available stock kept back, from 0 to 100."
    )
    scope = fields.Char(compute="_compute_scope")

    @api.depends("warehouse_id", "categ_id", "product_id")
    def _compute_scope(self):
        for buffer in self:
            buffer.scope = self._scope_label(
                buffer.warehouse_id, buffer.categ_id, buffer.product_id
            )

    @api.model
    def _scope_label(self, warehouse, category, product):
        where = warehouse.name or self.env._("Whole pool")
        what = product.display_name or category.display_name or self.env._("all products")
        return f"{where} / {what}"

    @api.constrains("buffer_type", "quantity", "percentage")
    def _check_amount(self):
        for buffer in self:
            if buffer.quantity < 0:
                raise ValidationError(
                    self.env._(
                        "The buffer %(scope)s of pool %(pool)s holds back %(quantity)s "
                        "units: a buffer cannot be negative, set 0 or more.",
                        scope=buffer.scope,
                        pool=buffer.pool_id.name,
                        quantity=buffer.quantity,
                    )
                )
            if not 0 <= buffer.percentage <= 100:
                raise ValidationError(
                    self.env._(
                        "The buffer %(scope)s of pool %(pool)s holds back %(percentage)s%%: "
                        "set a percentage between 0 and 100.",
                        scope=buffer.scope,
                        pool=buffer.pool_id.name,
                        percentage=buffer.percentage,
                    )
                )

    @api.constrains("categ_id", "product_id", "warehouse_id", "pool_id")
    def _check_scope(self):
        for buffer in self:
            if buffer.categ_id and buffer.product_id:
                raise ValidationError(
                    self.env._(
                        "The buffer %(scope)s of pool %(pool)s names both a product and a "
                        "category: keep one of them.",
                        scope=buffer.scope,
                        pool=buffer.pool_id.name,
                    )
                )
            if buffer.warehouse_id and buffer.warehouse_id not in buffer.pool_id.warehouse_ids:
                raise ValidationError(
                    self.env._(
                        "The buffer %(scope)s is for %(warehouse)s, which pool %(pool)s does "
                        "not sell from: add the warehouse to the pool or pick one of its "
                        "warehouses.",
                        scope=buffer.scope,
                        warehouse=buffer.warehouse_id.name,
                        pool=buffer.pool_id.name,
                    )
                )
        self._check_unique_scope()

    def _check_unique_scope(self):
        groups = self._read_group(
            [("pool_id", "in", self.pool_id.ids)],
            ["pool_id", "warehouse_id", "categ_id", "product_id"],
            ["__count"],
        )
        for pool, warehouse, category, product, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "Pool %(pool)s has several buffers for %(scope)s; which one should "
                        "apply is ambiguous: keep one.",
                        pool=pool.name,
                        scope=self._scope_label(warehouse, category, product),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        buffers = super().create(vals_list)
        buffers.pool_id._ats_mark_pools_dirty()
        return buffers

    def write(self, vals):
        pools = self.pool_id
        result = super().write(vals)
        (pools | self.pool_id)._ats_mark_pools_dirty()
        return result

    def unlink(self):
        self.pool_id._ats_mark_pools_dirty()
        return super().unlink()

    def _ats_engine_buffer(self):
        self.ensure_one()
        return Buffer(
            kind=self.buffer_type,
            value=self.quantity if self.buffer_type == FIXED else self.percentage,
            warehouse_id=self.warehouse_id.id or None,
            categ_id=self.categ_id.id or None,
            product_id=self.product_id.id or None,
        )
