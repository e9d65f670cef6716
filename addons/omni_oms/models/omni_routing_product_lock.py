from odoo import api, fields, models
from odoo.tools import SQL


class OmniRoutingProductLock(models.Model):
    """Rows per product that transactions upsert, before reading stock, to take turns:
    a second transaction taking the same row waits for the first, then fails to
    serialize (its request is retried) instead of deciding on stock the first one
    already took.

    Two rows per product, one per purpose:

    - ``sell``: selling on the available to sell (confirming an order, or more on a
      confirmed one) and routing again what a location gave back;
    - ``route``: choosing the locations an order ships from (routing at confirmation,
      background batches of peak mode, held orders routed again).

    Routing an order whose units its pool already counts (queued or held) does not
    change what may be sold: background routing never makes sellers wait, and
    sellers never make it wait. A transaction needing both takes ``sell`` first."""

    _name = "omni.routing.product.lock"
    _description = "Routing Lock of a Product"
    _log_access = False

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade")
    purpose = fields.Selection(
        [("sell", "Selling"), ("route", "Routing")], required=True, default="route"
    )
    routed_at = fields.Datetime()

    _sql_constraints = (
        (
            "product_unique",
            "UNIQUE(product_id, purpose)",
            "A product has a single lock per purpose.",
        ),
    )

    @api.model
    def _lock(self, products, purpose="route"):
        """Hold the ``purpose`` rows of ``products`` until the transaction ends, in
        product order: transactions locking the same products queue instead of
        deadlocking."""
        if products:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO omni_routing_product_lock (product_id, purpose, routed_at)
                    SELECT id, %s, %s FROM unnest(%s::int[]) AS id ORDER BY id
                    ON CONFLICT (product_id, purpose)
                    DO UPDATE SET routed_at = EXCLUDED.routed_at
                    """,
                    purpose,
                    self.env.cr.now(),
                    sorted(products.ids),
                )
            )
