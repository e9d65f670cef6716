import base64
import binascii
import re

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.omni_base.tools import shortened

from .omni_stock_pool import _int_array

CURSOR_RE = re.compile(r"(\d{1,18})\.(\d{1,19})(?:\.(\d{1,19}(?:,\d{1,19}){0,99}))?", re.ASCII)
MAX_FEED_SKUS = 1000
MAX_SKU_LENGTH = 255
MAX_CURSOR_RUNNING = 100
# the longest token CURSOR_RE accepts, base64-encoded, is 2,720 characters
MAX_CURSOR_LENGTH = 2720


class AtsFeedError(ValueError):
    """A channel's feed request that cannot be answered as asked (HTTP 400)."""


class OmniStockPoolAts(models.Model):
    """The available to sell of each product in each pool, as published to channels.

    Rows are written in SQL, set-based, by ``_publish``: for what the transactions that
    changed stock queued as they committed (see ``omni.stock.pool.ats.queue``), and
    every hour for all products. Each change of quantity takes a new value of a PostgreSQL
    sequence (``seq``) and the id of the writing transaction (``tx``): the channel
    feed's cursor is made of both (see ``_feed_changes_sql``).

    The figures behind the quantity (on hand, outgoing, incoming, buffers) are
    computed live for the rows displayed.
    """

    _name = "omni.stock.pool.ats"
    _description = "Available to Sell"
    _order = "pool_id, product_id"
    _log_access = False
    _rec_name = "product_id"

    pool_id = fields.Many2one("omni.stock.pool", required=True, readonly=True, ondelete="cascade")
    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    categ_id = fields.Many2one(
        related="product_id.categ_id", string="Product Category", store=True, index=True
    )
    uom_id = fields.Many2one(related="product_id.uom_id")
    qty_ats = fields.Float(
        string="Available to Sell", digits="Product Unit of Measure", readonly=True
    )
    changed_at = fields.Datetime(string="Changed On", readonly=True)
    qty_on_hand = fields.Float(
        string="On Hand", digits="Product Unit of Measure", compute="_compute_figures"
    )
    qty_reserved = fields.Float(
        string="Reserved", digits="Product Unit of Measure", compute="_compute_figures"
    )
    qty_outgoing = fields.Float(
        string="To Ship",
        digits="Product Unit of Measure",
        compute="_compute_figures",
        help="Demand of confirmed transfers leaving the pool, reserved or still waiting.",
    )
    qty_incoming = fields.Float(
        string="Incoming",
        digits="Product Unit of Measure",
        compute="_compute_figures",
        help="Expected within the pool's incoming horizon.",
    )
    qty_buffer = fields.Float(
        string="Buffer", digits="Product Unit of Measure", compute="_compute_figures"
    )

    _sql_constraints = (
        (
            "pool_product_uniq",
            "UNIQUE(pool_id, product_id)",
            "A product has one available to sell per pool.",
        ),
    )

    def init(self):
        self.env.cr.execute(
            """
            CREATE SEQUENCE IF NOT EXISTS omni_stock_pool_ats_seq;
            ALTER TABLE omni_stock_pool_ats
                ADD COLUMN IF NOT EXISTS seq bigint,
                ADD COLUMN IF NOT EXISTS tx xid8;
            CREATE INDEX IF NOT EXISTS omni_stock_pool_ats_pool_seq_index
                ON omni_stock_pool_ats (pool_id, seq);
            CREATE INDEX IF NOT EXISTS omni_stock_pool_ats_pool_tx_index
                ON omni_stock_pool_ats (pool_id, tx);
            """
        )

    def _compute_figures(self):
        for pool, rows in self.grouped("pool_id").items():
            details = pool._get_ats_details(rows.product_id) if pool else {}
            for row in rows:
                figures = details.get(row.product_id.id, {})
                row.qty_on_hand = figures.get("on_hand", 0.0)
                row.qty_reserved = figures.get("reserved", 0.0)
                row.qty_outgoing = figures.get("outgoing", 0.0)
                row.qty_incoming = figures.get("incoming", 0.0)
                row.qty_buffer = figures.get("buffer", 0.0)

    # Publication -------------------------------------------------------------------

    @api.model
    def _publish(self, pools, products=None):
        """Write the ATS of ``products`` (all when None) of ``pools`` in one statement:
        only the rows whose quantity changed, each with a new sequence value and this
        transaction's id, in (pool, product) order (concurrent publishers of the same
        rows queue instead of deadlocking)."""
        computed = pools._ats_query(products)
        known = SQL("TRUE")
        if products is not None:
            known = SQL("a.product_id = ANY(%s::int[])", _int_array(products.ids))
        self.env.cr.execute(
            SQL(
                """
                WITH computed AS (%(computed)s),
                target AS (
                    SELECT pool_id, product_id, ats FROM computed
                     UNION ALL
                    SELECT a.pool_id, a.product_id, 0 FROM omni_stock_pool_ats a
                     WHERE a.pool_id = ANY(%(pools)s::int[]) AND %(known)s
                       AND NOT EXISTS (
                           SELECT 1 FROM computed c
                            WHERE c.pool_id = a.pool_id AND c.product_id = a.product_id
                       )
                ),
                changed AS (
                    SELECT t.pool_id, t.product_id, t.ats
                      FROM target t
                      LEFT JOIN omni_stock_pool_ats a
                             ON a.pool_id = t.pool_id AND a.product_id = t.product_id
                     WHERE a.id IS NULL OR a.qty_ats <> t.ats
                )
                INSERT INTO omni_stock_pool_ats AS a
                       (pool_id, product_id, company_id, categ_id, qty_ats, changed_at, seq, tx)
                SELECT c.pool_id, c.product_id, pool.company_id, pt.categ_id, c.ats, %(now)s,
                       nextval('omni_stock_pool_ats_seq'), pg_current_xact_id()
                  FROM changed c
                  JOIN omni_stock_pool pool ON pool.id = c.pool_id
                  JOIN product_product pp ON pp.id = c.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
              ORDER BY c.pool_id, c.product_id
                ON CONFLICT (pool_id, product_id) DO UPDATE
                   SET qty_ats = EXCLUDED.qty_ats, changed_at = EXCLUDED.changed_at,
                       seq = EXCLUDED.seq, tx = EXCLUDED.tx
                 WHERE a.qty_ats IS DISTINCT FROM EXCLUDED.qty_ats
                """,
                computed=computed,
                pools=_int_array(pools.ids),
                known=known,
                now=self.env.cr.now(),
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _unpublish(self, pools):
        """Archived pools publish nothing."""
        self.env.cr.execute(
            SQL("DELETE FROM omni_stock_pool_ats WHERE pool_id = ANY(%s)", pools.ids)
        )
        self.invalidate_model()

    # Channel feed --------------------------------------------------------------------

    @api.model
    def _feed(self, pool, skus=None, since=None):
        """The feed of ``pool``: every product's ATS, or with ``since`` (a cursor from
        a previous answer) only those that changed since. ``skus`` restricts it to
        these internal references; those matching no stocked product of the pool's
        company come back in ``unknown_skus``."""
        previous = self._feed_decode_cursor(since) if since else None
        products_sql, unknown = SQL("TRUE"), []
        if skus is not None:
            product_ids, unknown = self._feed_products_of_skus(pool, skus)
            products_sql = SQL("a.product_id = ANY(%s)", product_ids)
        changes_sql = self._feed_changes_sql(previous) if previous else SQL("TRUE")
        self.env.cr.execute(
            SQL(
                """
                SELECT pp.default_code, pp.barcode, a.product_id, a.qty_ats::float8
                  FROM omni_stock_pool_ats a
                  JOIN product_product pp ON pp.id = a.product_id
                 WHERE a.pool_id = %s AND %s AND %s
              ORDER BY a.seq, a.product_id
                """,
                pool.id,
                products_sql,
                changes_sql,
            )
        )
        items = [
            {"sku": sku or None, "barcode": barcode or None, "product_id": product_id, "qty": qty}
            for sku, barcode, product_id, qty in self.env.cr.fetchall()
        ]
        return {
            "pool": pool.name,
            "mode": "changes" if previous else "full",
            "cursor": self._feed_next_cursor(pool, previous),
            "count": len(items),
            "items": items,
            "unknown_skus": unknown,
        }

    @api.model
    def _feed_products_of_skus(self, pool, skus):
        """(product ids, unknown SKUs) of ``skus`` among the stockable products the
        pool's company can sell."""
        if len(skus) > MAX_FEED_SKUS:
            raise AtsFeedError(
                self.env._(
                    "%(count)s SKUs were asked for; ask for at most %(max)s per request, or "
                    "for the whole feed without 'skus'.",
                    count=len(skus),
                    max=MAX_FEED_SKUS,
                )
            )
        for sku in skus:
            self._feed_check_sku(sku)
        self.env.cr.execute(
            SQL(
                """
                SELECT pp.id, pp.default_code
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.default_code = ANY(%s) AND pp.active AND pt.is_storable
                   AND (pt.company_id IS NULL OR pt.company_id = %s)
                """,
                list(skus),
                pool.company_id.id,
            )
        )
        rows = self.env.cr.fetchall()
        found = {sku for _product_id, sku in rows}
        return [product_id for product_id, _sku in rows], [sku for sku in skus if sku not in found]

    @api.model
    def _feed_check_sku(self, sku):
        if "\x00" in sku:
            raise AtsFeedError(
                self.env._(
                    'The SKU "%(sku)s" contains a NUL character (%%00): send SKUs as text.',
                    sku=shortened(sku.replace("\x00", "")),
                )
            )
        if len(sku) > MAX_SKU_LENGTH:
            raise AtsFeedError(
                self.env._(
                    'The SKU "%(sku)s" is %(length)s characters long; a SKU has at most %(max)s.',
                    sku=shortened(sku),
                    length=len(sku),
                    max=MAX_SKU_LENGTH,
                )
            )

    @api.model
    def _feed_changes_sql(self, previous):
        """Rows changed since the answer that issued the cursor ``previous``.

        A cursor holds the highest sequence value that answer saw, and what it could
        not see: the transactions still running then (``running``) and the first
        transaction id not started yet (``horizon``). A row written by a transaction
        that had not committed at that time has a smaller sequence value than rows
        seen, but a transaction id among ``running`` or from ``horizon`` on: both
        conditions are needed so that no change is ever missed, whatever the order in
        which concurrent transactions commit. Changes made by the reading transaction
        itself are told by their sequence alone.
        """
        seq, horizon, running = previous
        return SQL(
            "(a.seq > %s OR ((a.tx >= %s::text::xid8 OR a.tx = ANY(%s::text[]::xid8[]))"
            " AND a.tx IS DISTINCT FROM pg_current_xact_id_if_assigned()))",
            seq,
            str(horizon),
            [str(xid) for xid in running],
        )

    @api.model
    def _feed_next_cursor(self, pool, previous):
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(MAX(seq), 0),
                       pg_snapshot_xmin(pg_current_snapshot())::text,
                       pg_snapshot_xmax(pg_current_snapshot())::text,
                       ARRAY(SELECT pg_snapshot_xip(pg_current_snapshot())::text)
                  FROM omni_stock_pool_ats
                 WHERE pool_id = %s
                """,
                pool.id,
            )
        )
        seq, xmin, xmax, running = self.env.cr.fetchone()
        if previous:
            seq = max(seq, previous[0])
        if len(running) > MAX_CURSOR_RUNNING:
            # too many to list: from the oldest of them on (some rows come again)
            xmax, running = xmin, []
        token = ".".join([str(seq), xmax, *([",".join(running)] if running else [])])
        return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")

    @api.model
    def _feed_decode_cursor(self, cursor):
        """(sequence, horizon, running) of a cursor this server issued, else
        AtsFeedError."""
        invalid = AtsFeedError(
            self.env._(
                "The cursor \"%(cursor)s\" was not issued by this feed: pass the 'cursor' of "
                "a previous answer unchanged, or call without 'since' for the full feed.",
                cursor=shortened(cursor),
            )
        )
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise invalid
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            token = base64.b64decode(padded, altchars=b"-_", validate=True).decode("ascii")
        except (binascii.Error, UnicodeError, ValueError):
            raise invalid from None
        match = CURSOR_RE.fullmatch(token)
        if not match:
            raise invalid
        seq, horizon = int(match.group(1)), int(match.group(2))
        running = [int(xid) for xid in match.group(3).split(",")] if match.group(3) else []
        self.env.cr.execute(
            """
            SELECT last_value, pg_snapshot_xmax(pg_current_snapshot())::text::numeric
              FROM omni_stock_pool_ats_seq
            """
        )
        last_seq, next_xid = self.env.cr.fetchone()
        if seq > last_seq or horizon > next_xid or any(xid >= horizon for xid in running):
            raise invalid
        return seq, horizon, running
