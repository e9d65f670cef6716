from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.omni_base.tools import window_left

ALL_COMPANIES = False


class OmniStockPoolAtsQueue(models.Model):
    """What transactions changed and the channels' available to sell must show: the
    products of a company (or of every company) whose stock moved, or whole pools
    whose configuration changed. Written as the changing transaction commits (one
    insert, which never conflicts), published by a scheduled action it wakes up
    (``omni.stock.pool._cron_publish_ats_queue``), for the changes of many
    transactions at once."""

    _name = "omni.stock.pool.ats.queue"
    _description = "Available to Sell to Publish"
    _log_access = False

    product_id = fields.Many2one("product.product", readonly=True, ondelete="cascade")
    company_id = fields.Many2one(
        "res.company", readonly=True, ondelete="cascade", help="Empty: every company."
    )
    pool_id = fields.Many2one(
        "omni.stock.pool",
        readonly=True,
        ondelete="cascade",
        help="Set: all the products of this pool.",
    )
    queued_at = fields.Datetime(readonly=True)

    @api.model
    def _enqueue(self, products_by_company, pool_ids):
        """Queue ``products_by_company`` ({company id or ALL_COMPANIES: product ids})
        and the whole pools ``pool_ids``, then wake the publication up."""
        rows = [
            (product_id, company_id or None, None)
            for company_id, product_ids in products_by_company.items()
            for product_id in product_ids
        ]
        rows += [(None, None, pool_id) for pool_id in pool_ids]
        if not rows:
            return
        product_ids, company_ids, queued_pool_ids = zip(*rows, strict=True)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omni_stock_pool_ats_queue
                       (product_id, company_id, pool_id, queued_at)
                SELECT q.product_id, q.company_id, q.pool_id,
                       clock_timestamp() AT TIME ZONE 'UTC'
                  FROM unnest(%s::int[], %s::int[], %s::int[]) AS q(product_id, company_id, pool_id)
                 -- what the transaction deleted after changing it has nothing to publish
                 WHERE (q.product_id IS NULL
                        OR EXISTS (SELECT 1 FROM product_product WHERE id = q.product_id))
                   AND (q.company_id IS NULL
                        OR EXISTS (SELECT 1 FROM res_company WHERE id = q.company_id))
                   AND (q.pool_id IS NULL
                        OR EXISTS (SELECT 1 FROM omni_stock_pool WHERE id = q.pool_id))
                """,
                list(product_ids),
                list(company_ids),
                list(queued_pool_ids),
            )
        )
        cron = self.env.ref("omni_oms.omni_stock_pool_cron_publish_ats", raise_if_not_found=False)
        if cron:
            # sudo: whoever changes stock may not read scheduled actions
            cron.sudo()._trigger()
            # the trigger is created as the transaction commits, after the ORM's flush
            self.env.flush_all()

    @api.model
    def _gather_wait(self, window):
        """Seconds a publication lets changes gather: until the oldest queued has
        waited ``window`` seconds (none when nothing is queued)."""
        self.env.cr.execute(
            """
            SELECT EXTRACT(EPOCH FROM clock_timestamp() AT TIME ZONE 'UTC' - MIN(queued_at))
              FROM omni_stock_pool_ats_queue
            """
        )
        [waited] = self.env.cr.fetchone()
        return 0 if waited is None else window_left(window, float(waited))

    @api.model
    def _take(self):
        """Remove what is queued and return it: ({company id or ALL_COMPANIES: product
        ids}, pool ids). The caller's transaction publishes it, or gives it back by
        rolling back; rows another transaction took meanwhile are left to it."""
        self.env.cr.execute(
            """
            DELETE FROM omni_stock_pool_ats_queue
             WHERE id IN (SELECT id FROM omni_stock_pool_ats_queue FOR UPDATE SKIP LOCKED)
         RETURNING product_id, company_id, pool_id
            """
        )
        products_by_company, pool_ids = defaultdict(set), set()
        for product_id, company_id, pool_id in self.env.cr.fetchall():
            if pool_id:
                pool_ids.add(pool_id)
            elif product_id:
                products_by_company[company_id or ALL_COMPANIES].add(product_id)
        return products_by_company, pool_ids
