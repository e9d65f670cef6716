import logging
from collections import defaultdict

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.modules import module as odoo_module
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# kept with the transaction's commit hooks (they live as long as it does):
# a selling lock was taken in the transaction itself
SOLD_HERE_KEY = "omni_sold_here"
# the side transaction holding this one's selling locks
SIDE_KEY = "omni_sell_side"
# how long a side transaction waits for a product before the request is retried
SIDE_LOCK_TIMEOUT = "5s"
# how many times a seller that had written nothing starts its transaction again at once
# after waiting for another seller, before its request is retried as Odoo retries one
SELL_RESTARTS = 5


class SellSide:
    """A second transaction, READ COMMITTED, that takes the selling locks of a
    transaction and holds them until that one ends. Waiting for a lock there never
    fails to serialize, and once a lock is obtained its reads see what the previous
    holder committed: sellers of the same products queue, none is retried. Committed
    right after the transaction it serves (so the next seller sees that one's order),
    rolled back with it."""

    def __init__(self, env):
        self.cr = env.registry.cursor()
        self.cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        self.cr.execute(SQL("SELECT set_config('lock_timeout', %s, true)", SIDE_LOCK_TIMEOUT))
        # {(pool id, product id): quantity} sold through this side, not yet committed
        self.sold = defaultdict(float)

    def committed(self):
        # the transaction served is committed: nothing here may fail its request
        try:
            # the locks' new row versions make readers of older snapshots retry
            self.cr.commit()  # pylint: disable=invalid-commit
        except Exception:
            _logger.exception("Selling locks released without their commit")
        finally:
            self.cr.close()

    def rolled_back(self):
        self.cr.close()


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
    def _lock(self, products, purpose="route", cr=None, log_exceptions=True):
        """Hold the ``purpose`` rows of ``products`` until the transaction ends, in
        product order: transactions locking the same products queue instead of
        deadlocking. Selling locks go through the side transaction when this one has
        one (it would otherwise wait for itself)."""
        if not products:
            return
        if cr is None:
            side = self.env.cr.postcommit.data.get(SIDE_KEY) if purpose == "sell" else None
            cr = side.cr if side else self.env.cr
            if purpose == "sell" and not side:
                self.env.cr.postcommit.data[SOLD_HERE_KEY] = True
        cr.execute(self._lock_sql(products, purpose), log_exceptions=log_exceptions)

    @api.model
    def _lock_selling(self, products, may_restart=True):
        """Take the selling rows of ``products`` in this transaction. Waiting for a
        seller that then commits makes the lock fail to serialize: this transaction's
        snapshot does not see that sale. A transaction that had written nothing loses
        nothing by starting again: it is rolled back and False is returned, for the
        caller to read everything again, at once, on a snapshot that sees the sale
        (instead of its request being retried after a random pause). Otherwise the
        failure is raised, and Odoo retries the request. The rollback would also end a
        savepoint opened before without writing anything: Odoo's requests call methods
        outside any, and a scheduled action's transaction has locked its job's row."""
        restartable = may_restart and self._transaction_untouched()
        try:
            self._lock(products, purpose="sell", log_exceptions=not restartable)
        except pg_errors.SerializationFailure:
            if not restartable:
                raise
            self.env.cr.rollback()
            _logger.info("Omni selling lock: transaction started again on a newer snapshot")
            return False
        return True

    @api.model
    def _transaction_untouched(self):
        """Whether this transaction has written nothing, in the database or pending in
        the ORM (a rollback would then lose nothing); never in tests, whose data is
        never committed."""
        if odoo_module.current_test or self.env.registry.in_test_mode():
            return False
        self.env.flush_all()
        self.env.cr.execute("SELECT pg_current_xact_id_if_assigned() IS NULL")
        return self.env.cr.fetchone()[0]

    @api.model
    def _lock_sql(self, products, purpose):
        return SQL(
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

    @api.model
    def _sell_side(self):
        """The side transaction selling for this one (see ``SellSide``), started on
        first use; None where it cannot see what this transaction sees: while modules
        are installed, in tests (their data is never committed), and once this
        transaction locked products itself."""
        data = self.env.cr.postcommit.data
        if SIDE_KEY in data:
            return data[SIDE_KEY]
        if (
            not self.env.registry.ready
            or odoo_module.current_test
            or self.env.registry.in_test_mode()
            or data.get(SOLD_HERE_KEY)
        ):
            return None
        side = SellSide(self.env)
        data[SIDE_KEY] = side
        self.env.cr.postcommit.add(side.committed)
        self.env.cr.postrollback.add(side.rolled_back)
        return side
