from odoo import api, fields, models
from odoo.tools import SQL


class OmniRoutingProductLock(models.Model):
    """One row per product sold or routed. Selling on the available to sell and routing
    upsert the rows of an order's products before reading stock: a second transaction
    selling or routing the same products waits for the first, then fails to serialize
    (its request is retried) instead of deciding on stock the first one already took."""

    _name = "omni.routing.product.lock"
    _description = "Routing Lock of a Product"
    _log_access = False

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade")
    routed_at = fields.Datetime()

    _sql_constraints = (
        ("product_unique", "UNIQUE(product_id)", "A product has a single routing lock."),
    )

    @api.model
    def _lock(self, products):
        """Hold ``products`` until the transaction ends, in product order: transactions
        locking the same products queue instead of deadlocking."""
        if products:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO omni_routing_product_lock (product_id, routed_at)
                    SELECT id, %s FROM unnest(%s::int[]) AS id ORDER BY id
                    ON CONFLICT (product_id) DO UPDATE SET routed_at = EXCLUDED.routed_at
                    """,
                    self.env.cr.now(),
                    sorted(products.ids),
                )
            )
