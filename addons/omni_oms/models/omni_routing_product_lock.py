from odoo import fields, models


class OmniRoutingProductLock(models.Model):
    """One row per product routing touched. Routing upserts the rows of an order's
    products before reading stock: a second transaction routing the same products
    waits for the first, then fails to serialize and is retried with fresh stock."""

    _name = "omni.routing.product.lock"
    _description = "Routing Lock of a Product"
    _log_access = False

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade")
    routed_at = fields.Datetime()

    _sql_constraints = (
        ("product_unique", "UNIQUE(product_id)", "A product has a single routing lock."),
    )
