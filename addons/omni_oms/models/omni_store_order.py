import logging
import secrets
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_date, format_datetime

_logger = logging.getLogger(__name__)

OPEN_STATES = ("to_accept", "accepted", "ready")
# Who may read store orders, hence see them on transfers and sales orders.
STORE_ORDER_READERS = "sales_team.group_sale_salesman,omni_base.group_omni_store_staff"
QUEUE_STATES = (*OPEN_STATES, "done")
MAX_WRONG_CODES = 5


class OmniStoreOrder(models.Model):
    """What one store must prepare for one order: a ship-from-store parcel or a click &
    collect order, from its acceptance to its handover."""

    _name = "omni.store.order"
    _description = "Store Order"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "accept_deadline, id"
    _rec_name = "name"

    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", required=True, readonly=True, ondelete="cascade"
    )
    name = fields.Char(related="picking_id.name", store=True, precompute=True)
    store_id = fields.Many2one("stock.warehouse", required=True, readonly=True)
    company_id = fields.Many2one(
        related="store_id.company_id", store=True, index=True, precompute=True
    )
    sale_order_id = fields.Many2one("sale.order", string="Order", required=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    fulfilment = fields.Selection(
        [("ship", "Ship from store"), ("collect", "Click & collect")],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [
            ("to_accept", "To Accept"),
            ("accepted", "Preparing"),
            ("ready", "Ready"),
            ("done", "Done"),
            ("rejected", "Refused"),
            ("expired", "Expired"),
            ("cancel", "Cancelled"),
        ],
        default="to_accept",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        group_expand="_expand_states",
    )
    accept_deadline = fields.Datetime(string="Accept Before", readonly=True)
    accepted_by_id = fields.Many2one("res.users", readonly=True)
    reject_reason = fields.Text(string="Refused Because", readonly=True)
    resupply_picking_id = fields.Many2one(
        "stock.picking", string="Resupply Transfer", readonly=True
    )
    expected_ready_date = fields.Datetime(string="Expected at Store", readonly=True)
    ready_date = fields.Datetime(string="Ready Since", readonly=True)
    reminder_date = fields.Datetime(string="Reminder On", readonly=True)
    reminder_sent = fields.Boolean(readonly=True)
    expiry_date = fields.Datetime(string="Expires On", readonly=True)
    done_date = fields.Datetime(string="Done On", readonly=True)
    handed_over_by_id = fields.Many2one("res.users", readonly=True)
    pickup_code = fields.Char(copy=False, readonly=True, groups="base.group_system")
    pickup_code_count = fields.Integer(string="Codes Sent", copy=False, readonly=True)
    wrong_code_count = fields.Integer(
        string="Wrong Codes Given",
        compute="_compute_wrong_code_count",
        help="Wrong codes given at the counter against the code last sent to the customer.",
    )
    items_in_store = fields.Boolean(
        compute="_compute_items", help="Every item of the order is reserved on the store shelf."
    )
    item_summary = fields.Text(string="Items", compute="_compute_items")
    missing_summary = fields.Text(
        string="Missing Items",
        compute="_compute_items",
        help="A line per item not reserved on the store shelf yet: the resupply transfer "
        "bringing it and when it is expected.",
    )

    _sql_constraints = (
        ("picking_unique", "unique(picking_id)", "A transfer is prepared by one store order."),
    )

    def _expand_states(self, states, domain):
        """The queue shows a column per step of the workflow, even when empty."""
        return [*QUEUE_STATES, *(state for state in states if state not in QUEUE_STATES)]

    @api.depends(
        "picking_id.move_ids.state",
        "picking_id.move_ids.product_uom_qty",
        "picking_id.move_ids.quantity",
        "picking_id.move_ids.move_orig_ids.state",
        "picking_id.move_ids.move_orig_ids.date",
    )
    def _compute_items(self):
        for store_order in self:
            moves = store_order.picking_id.move_ids.filtered(lambda move: move.state != "cancel")
            store_order.items_in_store = bool(moves) and all(
                move.state == "assigned" for move in moves
            )
            quantities = defaultdict(float)
            for move in moves:
                quantities[move.product_id, move.product_uom] += move.product_uom_qty
            store_order.item_summary = "\n".join(
                _item_text(quantity, uom, product)
                for (product, uom), quantity in quantities.items()
            )
            store_order.missing_summary = "\n".join(store_order._missing_item_lines(moves))

    def _missing_item_lines(self, moves):
        """A line per move of ``moves`` not reserved on the store shelf: what is missing,
        and the resupply transfer bringing it with when it is expected."""
        lines = []
        for move in moves.filtered(lambda m: m.state not in ("assigned", "done")):
            missing = move.product_uom_qty - move.quantity
            if float_compare(missing, 0, precision_rounding=move.product_uom.rounding) <= 0:
                continue
            item = _item_text(missing, move.product_uom, move.product_id)
            resupply = move.move_orig_ids.filtered(
                lambda orig: orig.state not in ("done", "cancel")
            )
            if resupply:
                lines.append(
                    self.env._(
                        "%(item)s: expected %(date)s with %(transfer)s",
                        item=item,
                        date=format_datetime(self.env, max(resupply.mapped("date"))),
                        transfer=", ".join(resupply.picking_id.mapped("name")),
                    )
                )
            else:
                lines.append(
                    self.env._(
                        "%(item)s: not on the store shelf, and no resupply on its way",
                        item=item,
                    )
                )
        return lines

    def _compute_wrong_code_count(self):
        counts = self.env["omni.store.code.attempt"]._count_by_store_order(self)
        for store_order in self:
            store_order.wrong_code_count = counts.get(store_order.id, 0)

    # Creation ------------------------------------------------------------------

    @api.model
    def _create_for_pickings(self, pickings):
        """Put the confirmed outgoing transfers of stores that sell orders in their
        store's queue; click & collect ones missing items get resupplied."""
        pickings = pickings.filtered(
            lambda picking: (
                picking.picking_type_code == "outgoing"
                and picking.picking_type_id.warehouse_id.omni_is_store
                and picking.sale_id
                and picking.state not in ("draft", "done", "cancel")
            )
        )
        if not pickings:
            return self
        known = self.sudo().search([("picking_id", "in", pickings.ids)]).picking_id
        pickings -= known
        StoreOrder = self.sudo()
        # their first note says where they were sent, instead of Odoo's "created"
        store_orders = (
            StoreOrder.with_context(mail_create_nolog=True)
            .create([self._prepare_store_order_vals(picking) for picking in pickings])
            .with_env(StoreOrder.env)
        )
        for store_order in store_orders:
            store_order._log(
                self.env._(
                    "Sent to store %(store)s: %(fulfilment)s.",
                    store=store_order.store_id.name,
                    fulfilment=store_order._fulfilment_label(),
                )
            )
        store_orders.filtered(lambda so: so.fulfilment == "collect")._resupply_missing_items()
        return store_orders

    @api.model
    def _prepare_store_order_vals(self, picking):
        store = picking.picking_type_id.warehouse_id
        order = picking.sale_id
        collect = order.omni_pickup_store_id == store
        timeout = store.omni_accept_timeout_minutes
        return {
            "picking_id": picking.id,
            "store_id": store.id,
            "sale_order_id": order.id,
            "partner_id": order.partner_id.id,
            "fulfilment": "collect" if collect else "ship",
            "accept_deadline": (
                fields.Datetime.now() + timedelta(minutes=timeout)
                if timeout and not collect
                else False
            ),
        }

    def _resupply_missing_items(self):
        """Bring what the store lacks for these click & collect orders from its resupply
        warehouse, for these orders only, and tell each customer when the order will be
        at the store."""
        for store_order in self:
            missing = store_order._missing_quantities()
            if not missing:
                continue
            store = store_order.store_id
            source = store.omni_resupply_warehouse_id
            if not source:
                raise UserError(
                    self.env._(
                        "Store %(store)s lacks items for %(order)s and has no resupply "
                        "warehouse: set one on the store (Click & Collect settings).",
                        store=store.name,
                        order=store_order.sale_order_id.name,
                    )
                )
            transfer = (
                self.env["stock.picking"]
                .sudo()
                .create(store_order._prepare_resupply_picking_vals(source))
            )
            resupply_moves = (
                self.env["stock.move"]
                .sudo()
                .create(
                    [
                        store_order._prepare_resupply_move_vals(transfer, move, quantity)
                        for move, quantity in missing.items()
                    ]
                )
            )
            for (move, quantity), resupply_move in zip(
                missing.items(), resupply_moves, strict=True
            ):
                move.sudo()._omni_wait_for(resupply_move, quantity)
            transfer.action_confirm()
            store_order.write(
                {
                    "resupply_picking_id": transfer.id,
                    "expected_ready_date": transfer.scheduled_date,
                }
            )
            store_order._notify_resupply()

    def _missing_quantities(self):
        """{delivery move: quantity in its product's unit} not reserved at the store for
        this order, and not already on its way."""
        self.ensure_one()
        missing = {}
        for move in self.picking_id.move_ids.filtered(
            lambda m: (
                m.state not in ("done", "cancel")
                and m.product_id.is_storable
                and not m.move_orig_ids
            )
        ):
            reserved = move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id)
            short = move.product_qty - reserved
            if float_compare(short, 0, precision_rounding=move.product_id.uom_id.rounding) > 0:
                missing[move] = short
        return missing

    def _prepare_resupply_picking_vals(self, source):
        return {
            "picking_type_id": source.int_type_id.id,
            "location_id": source.lot_stock_id.id,
            "location_dest_id": self.store_id.lot_stock_id.id,
            "origin": self.sale_order_id.name,
            "scheduled_date": fields.Datetime.now()
            + timedelta(days=self.store_id.omni_resupply_days),
        }

    def _prepare_resupply_move_vals(self, transfer, move, quantity):
        """The resupply of ``quantity`` (in the product's unit) of the delivery ``move``.
        Should it be cancelled, the order's delivery is not: it takes from the store's
        stock again."""
        product = move.product_id
        return {
            "name": product.display_name,
            "picking_id": transfer.id,
            "product_id": product.id,
            "product_uom": product.uom_id.id,
            "product_uom_qty": quantity,
            "location_id": transfer.location_id.id,
            "location_dest_id": transfer.location_dest_id.id,
            "date": transfer.scheduled_date,
            "propagate_cancel": False,
        }

    def _notify_resupply(self):
        date = format_datetime(self.env, self.expected_ready_date, dt_format="medium")
        self._log(
            self.env._(
                "Items missing at store %(store)s come with transfer %(transfer)s, expected "
                "%(date)s.",
                store=self.store_id.name,
                transfer=self.resupply_picking_id.name,
                date=date,
            )
        )
        self._notify_customer("omni_oms.mail_template_omni_store_resupply")

    # Store staff actions ------------------------------------------------------

    def action_accept(self):
        self._check_state("to_accept")
        self.write({"state": "accepted", "accepted_by_id": self.env.uid})
        self.picking_id.move_ids.filtered(
            lambda move: move.state in ("confirmed", "partially_available")
        )._action_assign()
        for store_order in self:
            store_order._log(
                self.env._(
                    "Accepted by %(user)s at store %(store)s.",
                    user=self.env.user.name,
                    store=store_order.store_id.name,
                )
            )
        return True

    def action_open_reject(self):
        self._check_state("to_accept", "accepted")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse Order"),
            "res_model": "omni.store.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_store_order_ids": self.ids},
        }

    def _reject(self, reason):
        """Refuse these orders: their quantities go back to routing, which sends them to
        another location."""
        self._check_state("to_accept", "accepted")
        collect = self.filtered(lambda so: so.fulfilment == "collect")
        if collect:
            raise UserError(
                self.env._(
                    "%(orders)s are click & collect orders: the customer collects at this "
                    "store, so they cannot be sent elsewhere. Missing items are resupplied.",
                    orders=", ".join(collect.mapped("name")),
                )
            )
        self.check_access("write")
        orders = self.sale_order_id.sudo()
        routed = self.env["omni.routing.rule"].sudo()._rules_for_orders(orders)
        unrouted = orders.filtered(lambda order: order not in routed)
        if unrouted:
            raise UserError(
                self.env._(
                    "No routing rule applies to %(orders)s, so it cannot be sent to another "
                    "location: add a routing rule for it, or have it cancelled.",
                    orders=", ".join(unrouted.mapped("name")),
                )
            )
        for store_order in self:
            store_order.write({"state": "rejected", "reject_reason": reason})
            text = self.env._(
                "Refused by store %(store)s: %(reason)s",
                store=store_order.store_id.name,
                reason=reason,
            )
            store_order._log(text)
            store_order.sale_order_id.sudo()._omni_reroute(
                store_order.picking_id.move_ids.sudo(), text
            )
        return True

    def action_check_availability(self):
        """Reserve for these orders what has reached the store shelf since."""
        self._check_state("accepted")
        self.picking_id.action_assign()
        return True

    def action_ready(self):
        self._check_state("accepted")
        incomplete = self.filtered(lambda so: not so.items_in_store)
        if incomplete:
            raise UserError(
                self.env._(
                    "Not every item of %(orders)s is on the store shelf yet: wait for the "
                    "resupply transfer, or Check Availability once the items are there.",
                    orders=", ".join(incomplete.mapped("name")),
                )
            )
        collect = self.filtered(lambda so: so.fulfilment == "collect")
        collect.store_id._omni_check_opening_hours()
        now = fields.Datetime.now()
        (self - collect).write({"state": "ready", "ready_date": now})
        for store_order in self - collect:
            store_order._log(self.env._("Packed and ready to ship."))
        for store_order in collect:
            store_order._send_pickup_code(now)
        return True

    def action_send_new_code(self):
        """Give the customer a new pickup code, e.g. after too many wrong ones."""
        self._check_state("ready")
        for store_order in self.filtered(lambda so: so.fulfilment == "collect"):
            store_order._send_pickup_code(store_order.ready_date)
        return True

    def _send_pickup_code(self, ready_date):
        self.ensure_one()
        store = self.store_id
        self.sudo().write(
            {
                "state": "ready",
                "ready_date": ready_date,
                "pickup_code": self._new_pickup_code(),
                "pickup_code_count": self.pickup_code_count + 1,
                "reminder_date": ready_date + timedelta(days=store.omni_pickup_reminder_days),
                "expiry_date": ready_date + timedelta(days=store.omni_pickup_expiry_days),
            }
        )
        self._log(self.env._("Ready for pickup: the customer was sent a pickup code."))
        self._notify_customer("omni_oms.mail_template_omni_store_ready")
        self._text_pickup_code()

    def _text_pickup_code(self):
        """Text the pickup code too when the store does, SMS is available and the
        customer has a phone: queued for Odoo's SMS scheduler, not posted on the
        order's timeline, which the staff read."""
        order = self.sale_order_id.sudo()
        partner = self.partner_id
        number = partner.mobile or partner.phone
        if not (self.store_id.omni_text_pickup_code and "sms.sms" in self.env and number):
            return
        store = self.store_id
        body = self.with_context(lang=partner.lang).env._(
            "%(order)s is ready at %(store)s. Pickup code: %(code)s. Collect it before %(date)s.",
            order=order.name,
            store=store.name,
            code=self.sudo().pickup_code,
            date=format_date(self.env, self.expiry_date, lang_code=partner.lang),
        )
        self._without_blocking(
            lambda: (
                self.env["sms.sms"]
                .sudo()
                .create(
                    {"number": number, "body": body, "partner_id": partner.id, "state": "outgoing"}
                )
            )
        )

    def _new_pickup_code(self):
        """A six-digit code no other order waiting at the same store has."""
        taken = set(
            self.sudo()
            .search([("store_id", "=", self.store_id.id), ("state", "=", "ready")])
            .mapped("pickup_code")
        )
        while True:
            code = f"{secrets.randbelow(10**6):06d}"
            if code not in taken:
                return code

    def action_ship(self):
        """Validate the transfer of packed ship-from-store orders: the carrier flow
        prints the labels."""
        self._check_state("ready")
        if self.filtered(lambda so: so.fulfilment != "ship"):
            raise UserError(
                self.env._("Click & collect orders are handed over at the counter, not shipped.")
            )
        return self.picking_id._omni_validate_for_store()

    def action_open_counter(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over"),
            "res_model": "omni.store.counter",
            "view_mode": "form",
            "target": "new",
            "context": {"default_store_order_id": self.id},
        }

    def _hand_over(self, code):
        """Hand the order to the customer giving ``code``: validate its delivery. A
        wrong code is refused, logged and counted; return whether it was handed over."""
        self.ensure_one()
        self.check_access("write")
        if self.fulfilment != "collect":
            raise UserError(self.env._("%(order)s is shipped, not collected.", order=self.name))
        if self.state == "done":
            raise UserError(
                self.env._(
                    "Pickup code already used: %(order)s was handed over on %(date)s.",
                    order=self.name,
                    date=format_datetime(self.env, self.done_date),
                )
            )
        if self.state != "ready":
            raise UserError(
                self.env._(
                    "%(order)s is not ready for pickup (%(state)s): prepare it and mark it "
                    "ready first.",
                    order=self.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state],
                )
            )
        if self.wrong_code_count >= MAX_WRONG_CODES:
            raise UserError(
                self.env._(
                    "Too many wrong codes were given for %(order)s: send the customer a new "
                    "code before handing it over.",
                    order=self.name,
                )
            )
        if not secrets.compare_digest((code or "").strip(), self.sudo().pickup_code or ""):
            self.env["omni.store.code.attempt"]._record("hand_over", self)
            self._log(
                self.env._(
                    "Wrong pickup code given at the counter (%(user)s), refused.",
                    user=self.env.user.name,
                )
            )
            return False
        self.picking_id._omni_validate_for_store()
        self.write({"handed_over_by_id": self.env.uid})
        self._log(self.env._("Handed over to the customer by %(user)s.", user=self.env.user.name))
        return True

    def _check_state(self, *states):
        wrong = self.filtered(lambda so: so.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(orders)s cannot do this while %(state)s; only orders %(allowed)s can.",
                    orders=", ".join(wrong.mapped("name")),
                    state=labels[wrong[0].state],
                    allowed=", ".join(labels[state] for state in states),
                )
            )

    # Transfer events ------------------------------------------------------------

    def _on_transfer_done(self):
        self.filtered(lambda so: so.state in OPEN_STATES).write(
            {"state": "done", "done_date": fields.Datetime.now()}
        )

    def _on_transfer_cancelled(self):
        """The order's transfer was cancelled: so is the store's work, and the resupply
        still on its way for it."""
        cancelled = self.filtered(lambda so: so.state in OPEN_STATES)
        cancelled.write({"state": "cancel"})
        resupply = cancelled.resupply_picking_id.filtered(
            lambda picking: picking.state not in ("done", "cancel")
        )
        if resupply:
            resupply.action_cancel()

    # Crons ---------------------------------------------------------------------

    @api.model
    def _cron_accept_timeout(self):
        """Ship-from-store orders nobody accepted in time go back to routing."""
        late = self.search(
            [("state", "=", "to_accept"), ("accept_deadline", "<=", fields.Datetime.now())]
        )
        late._run_isolated(
            lambda so: so._reject(
                self.env._(
                    "not accepted within %(minutes)s minutes",
                    minutes=so.store_id.omni_accept_timeout_minutes,
                )
            )
        )
        self.env["ir.cron"]._notify_progress(done=len(late), remaining=0)

    @api.model
    def _cron_pickup_followup(self):
        """Remind customers of orders waiting at the store; expire the ones never
        collected."""
        now = fields.Datetime.now()
        expired = self.search(
            [("state", "=", "ready"), ("fulfilment", "=", "collect"), ("expiry_date", "<=", now)]
        )
        expired._run_isolated(lambda so: so._expire())
        to_remind = self.search(
            [
                ("state", "=", "ready"),
                ("fulfilment", "=", "collect"),
                ("reminder_sent", "=", False),
                ("reminder_date", "<=", now),
            ]
        )
        to_remind._run_isolated(lambda so: so._remind())
        self.env["ir.cron"]._notify_progress(done=len(expired | to_remind), remaining=0)

    def _run_isolated(self, action):
        """Run ``action`` on each store order under a savepoint, so that one failing
        order neither blocks the others nor is left half done; the failure is logged on
        the order. The scheduler commits the run."""
        for store_order in self:
            try:
                with self.env.cr.savepoint():
                    action(store_order)
            except UserError as error:
                store_order._log(self.env._("Automatic step failed: %(error)s", error=error))

    def _remind(self):
        self.ensure_one()
        self.reminder_sent = True
        self._log(self.env._("Pickup reminder sent to the customer."))
        self._notify_customer("omni_oms.mail_template_omni_store_reminder")

    def _expire(self):
        """Nobody collected the order: its items go back to the shelf, the order is
        cancelled and its invoices credited per the store's policy."""
        self.ensure_one()
        self._check_state("ready")
        self.write({"state": "expired"})
        self.picking_id.sudo().action_cancel()
        order = self.sale_order_id.sudo()
        if all(picking.state == "cancel" for picking in order.picking_ids):
            invoices = order.invoice_ids.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice"
            )
            order._action_cancel()
            self._credit_invoices(invoices)
        self._log(self.env._("Not collected in time: items back on the shelf, order cancelled."))
        self._notify_customer("omni_oms.mail_template_omni_store_expired")

    def _credit_invoices(self, invoices):
        if not invoices:
            return
        post = self.store_id.omni_expiry_policy == "credit_note"
        credit_notes = invoices._reverse_moves(
            [
                {"ref": self.env._("Not collected: %(order)s", order=self.name)}
                for _invoice in invoices
            ],
            cancel=post,
        )
        self._log(
            self.env._(
                "Credit notes %(notes)s (%(state)s) for the invoices of the order.",
                notes=", ".join(credit_notes.mapped("display_name")),
                state=self.env._("posted") if post else self.env._("draft, to review"),
            )
        )

    # Timeline ------------------------------------------------------------------

    def _log(self, text):
        """Write a store event on the store order and on the order's timeline, as notes:
        they notify nobody, so nothing about e-mail can stop the staff's work."""
        self.ensure_one()
        author = self.env.user.partner_id.id
        self._message_log(body=text, author_id=author)
        self.sale_order_id._message_log(body=text, author_id=author)

    def _notify_customer(self, template_xmlid):
        """Send the customer the template, rendered for this store order, in the name of
        the store's company. It is a notification of the order that only the customer
        reads, not a message of its timeline: it may carry the pickup code, which the
        staff must not see. A message that cannot be sent is logged on the order
        instead: the step it tells about stays done."""
        self.ensure_one()
        template = self.env.ref(template_xmlid).sudo()
        record = self.sudo()
        lang = template._render_lang(record.ids)[record.id]
        template = template.with_context(lang=lang)
        self._without_blocking(
            lambda: record.sale_order_id.message_notify(
                body=Markup(template._render_field("body_html", record.ids)[record.id]),
                subject=template._render_field("subject", record.ids)[record.id],
                partner_ids=record.partner_id.ids,
                author_id=record.company_id.partner_id.id,
                subtype_xmlid="mail.mt_comment",
            )
        )

    def _without_blocking(self, notify):
        """Run ``notify`` (a message to the customer); if it fails, log it on the order
        instead: the step it tells about stays done."""
        try:
            with self.env.cr.savepoint():
                notify()
        except Exception as error:  # noqa: BLE001 - whatever failed, the step is done
            _logger.warning("Store order %s: customer not notified: %s", self.id, error)
            self._log(
                self.env._(
                    "The customer could not be notified (%(error)s): tell them another way.",
                    error=error,
                )
            )

    def _fulfilment_label(self):
        return dict(self._fields["fulfilment"]._description_selection(self.env))[self.fulfilment]


def _item_text(quantity, uom, product):
    return f"{quantity:g} {uom.name} {product.display_name}"
