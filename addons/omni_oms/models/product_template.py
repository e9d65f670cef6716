from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    omni_ats_ids = fields.One2many(
        "omni.stock.pool.ats",
        string="Available to Sell",
        compute="_compute_omni_ats_ids",
        groups="omni_base.group_omni_store_staff,omni_base.group_omni_warehouse_operator",
        help="What each stock pool's channels may sell of this product.",
    )

    def _compute_omni_ats_ids(self):
        rows = self.env["omni.stock.pool.ats"].search(
            [("product_id.product_tmpl_id", "in", self._origin.ids)]
        )
        for template in self:
            template.omni_ats_ids = rows.filtered(
                lambda row, template=template: row.product_id.product_tmpl_id == template._origin
            )

    def write(self, vals):
        result = super().write(vals)
        if "categ_id" in vals:
            # category buffers of the pools may change
            self.env["omni.stock.pool"]._ats_mark_dirty(self.product_variant_ids)
        return result
