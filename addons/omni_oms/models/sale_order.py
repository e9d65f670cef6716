import logging
import time
import zlib

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import let_gather, retried_on_conflict, window_left

from .omni_routing_allocation import ALLOCATION_READERS
from .omni_store_order import STORE_ORDER_READERS
from .shared_reads import shared_reads

_logger = logging.getLogger(__name__)

# The scheduled actions of peak mode. Each runs one batch of one step per call, the
# first step it names if some order waits for it, else the second: routing the orders
# queued, or creating the transfers of orders routed. The first routes first and the
# second creates transfers first, so that neither step waits for the other while
# orders come in; as many cron workers as there are actions work at the same time.
PEAK_ROUTING_CRONS = {
    "omni_oms.sale_order_cron_omni_route_queued": ("route", "launch"),
    "omni_oms.sale_order_cron_omni_launch_planned": ("launch", "route"),
}
# The orders each step takes, and their default batch size (system parameters
# ``omni_oms.peak_routing_batch_size`` and ``omni_oms.peak_batch_size``): routing is
# fast, creating transfers follows Odoo's procurement order by order.
PEAK_STEPS = {
    "route": ("queued", "omni_oms.peak_routing_batch_size", 200),
    "launch": ("planned", "omni_oms.peak_batch_size", 25),
}
# Held by the transaction routing a batch: one routes at a time (batches of the same
# products would wait for each other's routing locks, then fail to serialize), the
# others create transfers meanwhile.
PEAK_ROUTING_LOCK = zlib.crc32(b"omni_oms.peak_routing")
# A batch conflicting with another transaction (another worker's batch on the same
# products) is taken again at once, on a new snapshot, so that a worker is not starved
# by one batch after another.
PEAK_TRIES = 10
# How long (ms) a routing batch run by the scheduler lets orders gather, counted from
# the confirmation of the oldest queued one (system parameter): while orders come in
# one by one, routing each alone costs tens of times more per order than a batch.
PEAK_ROUTING_WINDOW = ("omni_oms.peak_routing_window_ms", 1000)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_routing_state = fields.Selection(
        [
            ("none", "Not routed"),
            ("routed", "Routed"),
            ("backorder", "Partly backordered"),
            ("held", "Held"),
            ("queued", "Queued for routing"),
            ("planned", "Routed, transfers pending"),
        ],
        string="Routing",
        default="none",
        required=True,
        copy=False,
        index=True,
    )
    omni_hold_reason = fields.Char(string="Held Because", copy=False, readonly=True)
    omni_routed_date = fields.Datetime(string="Last Routed", copy=False, readonly=True)
    omni_allocation_ids = fields.One2many(
        "omni.routing.allocation",
        "order_id",
        string="Sourcing",
        copy=False,
        groups=ALLOCATION_READERS,
    )
    omni_decision_ids = fields.One2many(
        "omni.routing.decision",
        "order_id",
        string="Routing Decisions",
        copy=False,
        groups="sales_team.group_sale_salesman,omni_base.group_omni_manager",
    )

    omni_pickup_store_id = fields.Many2one(
        "stock.warehouse",
        string="Pickup Store",
        domain="[('omni_is_store', '=', True), ('omni_click_collect', '=', True), "
        "('company_id', '=', company_id)]",
        check_company=True,
        tracking=True,
        help="Click & collect: the store where the customer collects the order. The order "
        "is prepared there (items it lacks are brought to it), never at another store.",
    )
    omni_store_order_ids = fields.One2many(
        "omni.store.order",
        "sale_order_id",
        string="Store Orders",
        copy=False,
        groups=STORE_ORDER_READERS,
    )

    @api.depends("omni_pickup_store_id")
    def _compute_warehouse_id(self):
        result = super()._compute_warehouse_id()
        for order in self.filtered("omni_pickup_store_id"):
            order.warehouse_id = order.omni_pickup_store_id
        return result

    def write(self, vals):
        if not vals.keys() & {"state", "omni_routing_state", "team_id"}:
            return super().write(vals)
        # counted by their channel's pool before, by the new one's after
        self._omni_counted_by_channel()._omni_ats_mark_dirty()
        result = super().write(vals)
        self._omni_counted_by_channel()._omni_ats_mark_dirty()
        return result

    def _omni_counted_by_channel(self):
        """The orders their channel's pool counts as its channel's: confirmed ones
        (held or waiting for routing, or shipping from outside the pool). A quotation
        counts nowhere: changing its channel changes no available to sell."""
        return self.filtered(lambda order: order.state == "sale")

    def _omni_ats_mark_dirty(self):
        """Orders held by routing count in their pools' available to sell without a
        move: publish it again when that changes."""
        lines = self.filtered("team_id.omni_stock_pool_id").order_line
        self.env["omni.stock.pool"]._ats_mark_dirty(lines.product_id, self.company_id)

    def action_confirm(self):
        self._omni_check_pickup_store()
        peak = self._omni_peak_orders()
        # Checked before anything is written; the procurement launched by the
        # confirmation needs no second check.
        (self - peak).order_line._omni_check_available_to_sell(confirming=True)
        if not peak:
            return super(SaleOrder, self.with_context(omni_ats_checked=True)).action_confirm()
        # Orders of peak mode are checked last, their own queued units left out of the
        # pools' figures: their products stay locked only until the commit that follows.
        # A refusal undoes the confirmation, whoever catches it.
        with self.env.cr.savepoint():
            result = super(SaleOrder, self.with_context(omni_ats_checked=True)).action_confirm()
            peak.order_line.with_context(
                omni_ats_exclude_orders=peak.ids, omni_ats_committed=True
            )._omni_check_available_to_sell(confirming=True)
        return result

    def _omni_check_pickup_store(self):
        for order in self.filtered("omni_pickup_store_id"):
            store = order.omni_pickup_store_id
            if not (store.omni_is_store and store.omni_click_collect):
                raise UserError(
                    self.env._(
                        "%(order)s: %(store)s does not offer click & collect; choose another "
                        "pickup store or enable the service on it.",
                        order=order.name,
                        store=store.name,
                    )
                )
            store._omni_check_opening_hours()
            if order.warehouse_id != store:
                order.warehouse_id = store

    def _omni_shortage_message(self, shortages):
        lines = [
            self.env._(
                "- %(product)s: %(ordered)s %(uom)s ordered, %(available)s available to sell "
                "in pool %(pool)s",
                product=product.display_name,
                ordered=ordered,
                uom=product.uom_id.name,
                available=available,
                pool=pool.name,
            )
            for pool, product, ordered, available in shortages
        ]
        return "\n".join(
            [
                self.env._(
                    "%(orders)s cannot be confirmed: the stock its channel may sell is short.",
                    orders=", ".join(self.mapped("name")),
                ),
                *lines,
                self.env._("Lower these quantities, or confirm once the pool is replenished."),
            ]
        )

    def _action_cancel(self):
        """Cancel the transfers of every warehouse and store preparing these orders,
        including those the canceller may not see (store staff see their own stores'
        only): an order is never left cancelled with a transfer still reserving stock."""
        self.check_access("write")
        pickings = self.sudo().picking_ids
        unseen = pickings - pickings.with_env(self.env)._filtered_access("write")
        unseen.filtered(lambda picking: picking.state not in ("done", "cancel")).action_cancel()
        # the canceller's own view of the transfers, for the standard cancellation
        self.invalidate_recordset(["picking_ids"])
        return super()._action_cancel()

    def _action_confirm(self):
        queued = self._omni_peak_orders()
        if queued:
            queued._omni_queue_routing()
        routed_now = self - queued
        # the promise and routing read the same stock and rules, which neither changes
        with shared_reads(self.env.cr):
            # promised before routing and procurement: what the customer was told;
            # orders of peak mode are promised by the batch routing them, seconds later
            routed_now._omni_promise_store()
            routed_now._omni_route()
        return super()._action_confirm()

    def _omni_peak_orders(self):
        """The orders whose routing and transfers wait for a background batch: those of
        channels in peak mode, or of companies in peak mode."""
        if self.env.context.get("omni_route_now"):
            return self.browse()
        return self.filtered(
            lambda order: order.team_id.omni_peak_mode or order.company_id.omni_peak_mode
        )

    def _omni_queue_routing(self):
        """Leave these confirmed orders to the background routing: their lines count in
        their pools' available to sell from now on (as held ones do), no transfer is
        made yet, and the routing actions are woken up once this transaction commits."""
        self.write({"omni_routing_state": "queued", "omni_hold_reason": False})
        self._omni_wake_peak_routing()

    @api.model
    def _omni_wake_peak_routing(self):
        """Run peak mode's scheduled actions once this transaction commits."""
        for xmlid in PEAK_ROUTING_CRONS:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                # sudo: confirming sellers may not read scheduled actions
                cron.sudo()._trigger()

    @api.model
    def _cron_omni_route_queued(self, batch_size=None):
        """Route a batch of the orders queued by peak mode or, none being queued,
        create the transfers of a batch of orders routed (see ``_omni_peak_run``)."""
        return self._omni_peak_run(("route", "launch"), batch_size)

    @api.model
    def _cron_omni_launch_planned(self, batch_size=None):
        """Create the transfers of a batch of orders routed in peak mode or, none
        waiting, route a batch of orders queued (see ``_omni_peak_run``)."""
        return self._omni_peak_run(("launch", "route"), batch_size)

    @api.model
    def _omni_peak_run(self, steps, batch_size=None):
        """Run one batch of the first of ``steps`` that has orders waiting; the
        scheduler commits it and calls again while some remain. Return how many orders
        the batch took."""
        done = 0
        for step in steps:
            done = self._omni_peak_step(step, batch_size)
            if done:
                break
        # orders routed whose company holds the transfers until the peak ends wait
        remaining = self.search_count(
            [
                ("state", "=", "sale"),
                "|",
                ("omni_routing_state", "=", "queued"),
                "&",
                ("omni_routing_state", "=", "planned"),
                ("company_id", "not in", self._omni_companies_holding_transfers()),
            ]
        )
        # a batch rolled back undid the progress record of a run started by hand
        progress = self.env["ir.cron.progress"].browse(self.env.context.get("ir_cron_progress_id"))
        if progress.exists():
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _omni_peak_step(self, step, batch_size=None):
        """One batch of ``step``, taken again on a new snapshot when it conflicts with
        another transaction."""
        _state, parameter, default_size = PEAK_STEPS[step]
        if not batch_size:
            batch_size = int(
                self.env["ir.config_parameter"].sudo().get_param(parameter, default_size)
            )
        if step == "route" and self.env.context.get("cron_id"):
            self._omni_peak_gather(batch_size)
        return retried_on_conflict(
            self.env,
            lambda: self._omni_peak_batch(step, batch_size),
            "Omni peak routing",
            tries=PEAK_TRIES,
        )

    @api.model
    def _omni_peak_gather(self, batch_size):
        """Wait for the orders still coming in before a scheduled routing batch (see
        ``_omni_peak_routing_wait``), then go on with a new snapshot: the batch takes
        the orders confirmed meanwhile. Nothing is written before, nothing is lost."""
        let_gather(self.env, self._omni_peak_routing_wait(batch_size))

    @api.model
    def _omni_peak_routing_wait(self, batch_size):
        """Seconds a routing batch of ``batch_size`` waits for more orders: none when
        nothing is queued, when a batch is full, or once the oldest queued order has
        waited the routing window (``PEAK_ROUTING_WINDOW``)."""
        parameter, default = PEAK_ROUTING_WINDOW
        window = int(self.env["ir.config_parameter"].sudo().get_param(parameter, default)) / 1000
        # every company's: batches take them all, as the scheduler sees them
        [(count, oldest)] = self.sudo()._read_group(
            [("omni_routing_state", "=", "queued"), ("state", "=", "sale")],
            aggregates=["__count", "date_order:min"],
        )
        if not count or count >= batch_size or window <= 0:
            return 0
        return window_left(window, (fields.Datetime.now() - oldest).total_seconds())

    @api.model
    def _omni_peak_batch(self, step, batch_size):
        """Take up to ``batch_size`` orders waiting for ``step`` that no other
        transaction holds, oldest first, and run the step on them; return how many.
        ``SKIP LOCKED``: servers running batches at the same time take different
        orders, none is routed (or sent to the warehouses) twice. Routing takes none
        while another transaction routes a batch."""
        state = PEAK_STEPS[step][0]
        if step == "route":
            self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", PEAK_ROUTING_LOCK))
            if not self.env.cr.fetchone()[0]:
                return 0
        held_companies = self._omni_companies_holding_transfers() if step == "launch" else []
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM sale_order
                 WHERE omni_routing_state = %s AND state = 'sale'
                   AND NOT company_id = ANY(%s)
                 ORDER BY id
                 LIMIT %s
                   FOR NO KEY UPDATE SKIP LOCKED
                """,
                state,
                held_companies,
                batch_size,
            )
        )
        batch = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not batch:
            return 0
        started = time.perf_counter()
        Service = self.env["omni.routing.service"]
        if step == "route":
            Service._route_queued(batch)
        else:
            Service._launch_planned(batch)
        self.env.flush_all()
        _logger.info(
            "Omni peak routing: %s orders %s in %.3f s",
            len(batch),
            "routed" if step == "route" else "sent to their warehouses",
            time.perf_counter() - started,
        )
        return len(batch)

    @api.model
    def _omni_companies_holding_transfers(self):
        """Ids of the companies whose orders routed in peak mode wait for the end of
        the peak to get their transfers."""
        return self.env["res.company"].sudo().search([("omni_peak_hold_transfers", "=", True)]).ids

    def action_omni_route(self):
        """Route held orders again and send what got routed to the warehouses."""
        self.env["omni.routing.service"]._route_again(
            self.filtered(lambda order: order.state == "sale")
        )
        return True

    @api.model
    def _cron_omni_route_held(self, batch_size=200):
        """Route one batch of the held orders not tried during this run, as stock
        arrives; the scheduler commits the batch and calls again while some remain."""
        domain = [
            ("omni_routing_state", "=", "held"),
            ("state", "=", "sale"),
            "|",
            ("omni_routed_date", "=", False),
            ("omni_routed_date", "<", self.env.context.get("lastcall") or fields.Datetime.now()),
        ]
        batch = self.search(domain, order="omni_routed_date, id", limit=batch_size)
        batch.action_omni_route()
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=self.search_count(domain))

    def _omni_route(self, reason=None):
        """Route these confirmed orders (see ``omni.routing.service``)."""
        self.env["omni.routing.service"]._route(self, reason=reason)

    def _omni_reroute(self, moves, reason):
        """Route again what ``moves`` of this order were to ship (see
        ``omni.routing.service._reroute``); return the new allocations."""
        self.ensure_one()
        return self.env["omni.routing.service"]._reroute(self, moves, reason)
