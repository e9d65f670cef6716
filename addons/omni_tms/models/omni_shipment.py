"""The idempotent shipment record: our reference, kept whatever happens to the
transaction that asked for the label.

The record is created (and each outcome written, with the label attached to the
delivery) on a cursor of its own that commits at once, before and after the carrier
call, so a failure of the caller's transaction (validation rolled back, worker killed)
cannot lose it. A retry finds the record by picking, carrier and kind, sends the same
reference again (the carrier's idempotency key) and, when the previous outcome is
unknown, first looks the shipment up at the carrier: a retry never creates a second
carrier shipment.
"""

import contextlib
import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import durable_env

from ..connector import FINAL_STAGES, CarrierError, ParallelCalls, ShipmentResult
from .stock_picking import STAGE_SELECTION

_logger = logging.getLogger(__name__)

MAX_AUTOMATIC_ATTEMPTS = 5
# Longest wait for the lock of a shipment another attempt is claiming.
CLAIM_LOCK_TIMEOUT = "10s"


class OmniShipment(models.Model):
    _name = "omni.shipment"
    _description = "Carrier Shipment"
    _order = "id desc"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        help="Our reference for this shipment, sent to the carrier with every attempt.",
    )
    kind = fields.Selection(
        [("outbound", "Shipment"), ("return", "Return")],
        required=True,
        default="outbound",
        readonly=True,
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", required=True, readonly=True, ondelete="restrict"
    )
    carrier_id = fields.Many2one(
        "delivery.carrier", required=True, readonly=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    partner_id = fields.Many2one(related="picking_id.partner_id", string="Customer")
    state = fields.Selection(
        [
            ("pending", "Sending"),
            ("error", "Failed"),
            ("done", "Created"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )
    carrier_reference = fields.Char(readonly=True, help="The carrier's own shipment id.")
    tracking_number = fields.Char(readonly=True, index="btree_not_null")
    tracking_url = fields.Char(readonly=True)
    original_tracking = fields.Char(
        readonly=True, help="Tracking number of the shipment a return label is for."
    )
    price = fields.Monetary(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    label_attachment_id = fields.Many2one(
        "ir.attachment",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The label, attached to the transfer.",
    )
    label = fields.Binary(related="label_attachment_id.datas")
    label_filename = fields.Char(related="label_attachment_id.name")
    label_format = fields.Selection([("pdf", "PDF"), ("zpl", "ZPL")], readonly=True, default="pdf")
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    attempt_date = fields.Datetime(string="Last Attempt", readonly=True)
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)
    retryable = fields.Boolean(
        readonly=True, help="The last failure was on the carrier's side: retrying can work."
    )
    outcome_unknown = fields.Boolean(
        readonly=True,
        help="The carrier may have created the shipment without answering: a retry looks "
        "it up first.",
    )
    can_fetch_label = fields.Boolean(
        compute="_compute_can_fetch_label",
        help="The shipment exists at the carrier without its label, which the carrier "
        "can give again.",
    )
    exchange_log = fields.Text(
        string="Carrier Exchanges", readonly=True, help="Last exchanges, credentials masked."
    )
    tracking_stage = fields.Selection(STAGE_SELECTION, readonly=True, index=True)
    delivered_date = fields.Datetime(readonly=True)
    last_poll_date = fields.Datetime(readonly=True)
    event_ids = fields.One2many("omni.tracking.event", "shipment_id", string="Tracking Events")
    notification_ids = fields.One2many(
        "omni.shipment.notification", "shipment_id", string="Notifications"
    )

    def init(self):
        # One live shipment per picking, carrier and kind (cancelled ones stay aside).
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS omni_shipment_live_uniq
                ON omni_shipment (picking_id, carrier_id, kind)
             WHERE state != 'cancelled'
            """
        )

    # Durable writes ---------------------------------------------------------------

    @contextlib.contextmanager
    def _omni_durable(self, picking):
        """``durable_env`` for the shipment records of ``picking``: what is written there
        is committed at once and kept whatever the current transaction does next (in
        it, under a savepoint, while ``picking`` itself is not committed yet). What it
        wrote is read afresh here afterwards."""
        try:
            with durable_env(self.env, picking) as env:
                yield env
        finally:
            self.env["omni.shipment"].invalidate_model()
            picking.invalidate_recordset(["omni_shipment_ids", "message_ids"])

    # Reservation --------------------------------------------------------------------

    @api.model
    def _omni_stale_after(self, carrier):
        """Seconds after which an attempt without outcome is taken as abandoned."""
        return (carrier.omni_timeout or 10.0) * (max(0, carrier.omni_max_retries) + 1) + 60

    @api.model
    def _prepare_shipment_vals(self, picking, carrier, kind, original_tracking):
        return {
            "name": self.env["ir.sequence"].next_by_code("omni.shipment") or "/",
            "kind": kind,
            "picking_id": picking.id,
            "carrier_id": carrier.id,
            "company_id": picking.company_id.id,
            "currency_id": picking.company_id.currency_id.id,
            "original_tracking": original_tracking or False,
            "state": "pending",
            "attempt_count": 1,
            "attempt_date": fields.Datetime.now(),
        }

    @api.model
    def _omni_reserve(self, picking, carrier, kind, original_tracking=None):
        """The id of the shipment record of ``picking`` claimed for one attempt (see
        ``_omni_claim``), committed before the carrier is called."""
        try:
            with self._omni_durable(picking) as env:
                return (
                    env["omni.shipment"]._omni_claim(picking, carrier, kind, original_tracking).id
                )
        except (
            psycopg2.errors.UniqueViolation,
            psycopg2.errors.LockNotAvailable,
            psycopg2.errors.SerializationFailure,
        ) as error:
            raise UserError(
                self.env._(
                    "The label of %(picking)s is being created by someone else right now: "
                    "try again in a minute.",
                    picking=picking.name,
                )
            ) from error

    @api.model
    def _omni_claim(self, picking, carrier, kind, original_tracking=None):
        """The live shipment of ``picking`` by ``carrier`` (``kind``: outbound or
        return), created or claimed for one more attempt; as it is when the carrier
        created it already. A UserError while another attempt is waiting for the
        carrier."""
        shipment = self._omni_lock_live(picking, carrier, kind)
        if not shipment:
            return self.create(
                self._prepare_shipment_vals(picking, carrier, kind, original_tracking)
            )
        if shipment.state == "done":
            return shipment
        now = fields.Datetime.now()
        stale = shipment.attempt_date and shipment.attempt_date < now - timedelta(
            seconds=self._omni_stale_after(carrier)
        )
        if shipment.state == "pending" and not stale:
            raise UserError(
                self.env._(
                    "The label of %(picking)s is being created (%(reference)s, since "
                    "%(date)s): wait for the carrier's answer, then try again.",
                    picking=picking.name,
                    reference=shipment.name,
                    date=shipment.attempt_date,
                )
            )
        shipment.write(
            {
                "state": "pending",
                "attempt_count": shipment.attempt_count + 1,
                "attempt_date": now,
                # An attempt abandoned without answer may have created the shipment.
                "outcome_unknown": shipment.outcome_unknown or shipment.state == "pending",
            }
        )
        return shipment

    @api.model
    def _omni_lock_live(self, picking, carrier, kind):
        """The live (not cancelled) shipment of ``picking`` by ``carrier`` and ``kind``,
        locked for this transaction; waiting for another one at most
        CLAIM_LOCK_TIMEOUT."""
        cr = self.env.cr
        cr.execute(SQL("SET LOCAL lock_timeout = %s", CLAIM_LOCK_TIMEOUT))
        cr.execute(
            SQL(
                """SELECT id FROM omni_shipment
                    WHERE picking_id = %s AND carrier_id = %s AND kind = %s
                      AND state != 'cancelled'
                    ORDER BY id DESC LIMIT 1 FOR UPDATE""",
                picking.id,
                carrier.id,
                kind,
            )
        )
        row = cr.fetchone()
        cr.execute("SET LOCAL lock_timeout TO DEFAULT")
        return self.browse(row[0] if row else ())

    # Carrier calls ------------------------------------------------------------------

    @api.model
    def _omni_ship(self, picking, carrier, shipment, kind="outbound", original_tracking=None):
        """The carrier shipment (or return) of ``picking``, whose Shipment is
        ``shipment``: created once whatever the retries, its label attached to the
        picking. Returns the carrier's ShipmentResult."""
        connector = carrier._omni_connector()
        if connector.names_customer_at_pickup_point:
            shipment = shipment.addressed_to_customer()
        if kind == "return":
            shipment = shipment.returned()
        claimed = self._omni_reserve(picking, carrier, kind, original_tracking)
        failure = None
        # The claim is committed (no lock is held any more); the outcome, and the label,
        # are written on the cursor the carrier is called with, committed on leaving.
        with self._omni_durable(picking) as env:
            record = env["omni.shipment"].browse(claimed)
            if record.state == "done":
                return record._omni_result()
            try:
                result = record._omni_call_carrier(connector, shipment)
            except Exception as error:  # noqa: BLE001 - recorded, then raised below
                failure, reference, message = error, record.name, record.error_message
        carrier._omni_log_exchanges(connector, kind)
        if failure is None:
            return result
        if not isinstance(failure, CarrierError):
            raise failure
        raise UserError(
            self.env._(
                "%(carrier)s could not create the label of %(picking)s (%(reference)s, kept "
                "to retry): %(error)s",
                carrier=carrier.name,
                picking=picking.name,
                reference=reference,
                error=message,
            )
        ) from failure

    def _omni_call_carrier(self, connector, shipment):
        """Create this shipment at the carrier with ``connector``, from ``shipment``
        (the Shipment of its picking), after looking it up when an earlier attempt may
        have created it; record the outcome. Returns the carrier's ShipmentResult; a
        failure is recorded and raised again."""
        self.ensure_one()
        # After an attempt without a readable answer, the shipment may exist as long as
        # no look-up answered.
        unchecked = self.outcome_unknown
        try:
            result = None
            if unchecked and connector.supports_lookup:
                result = connector.lookup(self.name)
                unchecked = False
            if result is None and self.kind == "outbound":
                result = connector.ship(shipment, self.name)
            elif result is None:
                result = connector.create_return(shipment, self.name, self.original_tracking or "")
        except Exception as error:
            self.write(self._prepare_failure_vals(error, connector, outcome_unknown=unchecked))
            raise
        self.write(self._prepare_success_vals(result, connector))
        if result.label:
            self._omni_attach_label(result.label, result.label_format)
        else:
            self._omni_report_missing_label(connector)
        return result

    def _omni_result(self):
        """This shipment as the carrier created it (without its label)."""
        self.ensure_one()
        return ShipmentResult(
            carrier_reference=self.carrier_reference or "",
            tracking_number=self.tracking_number or "",
            price=self.price,
            currency=self.currency_id.name or "",
            label_format=self.label_format or "pdf",
            tracking_url=self.tracking_url or "",
        )

    def _omni_report_missing_label(self, connector):
        """Say on the delivery that the carrier created the shipment without its label
        (download failed, or found again after a lost answer), and how to get it."""
        message = (
            self.env._(
                "%(carrier)s created %(tracking)s but its label could not be fetched: use "
                "Download Label on shipment %(reference)s."
            )
            if self.carrier_reference and connector.supports_label_download
            else self.env._(
                "%(carrier)s created %(tracking)s but gave no label for it: print the label "
                "from the carrier's website (shipment %(reference)s)."
            )
        )
        self.picking_id.message_post(
            body=message
            % {
                "carrier": self.carrier_id.name,
                "tracking": self.tracking_number,
                "reference": self.name,
            }
        )

    @api.model
    def _prepare_failure_vals(self, error, connector, outcome_unknown=False):
        """Values of a failed attempt, its error text without secrets. The outcome is
        unknown when the error says so, or already was (``outcome_unknown``: a previous
        attempt not looked up yet)."""
        carrier_error = isinstance(error, CarrierError)
        return {
            "state": "error",
            "error_code": (error.code if carrier_error else type(error).__name__) or False,
            "error_message": connector.error_text(error),
            "retryable": error.retryable if carrier_error else False,
            "outcome_unknown": outcome_unknown
            or (error.outcome_unknown if carrier_error else True),
            "exchange_log": connector.exchange_log() or False,
        }

    def _prepare_success_vals(self, result, connector):
        currency = self.env["res.currency"].search([("name", "=", result.currency)], limit=1)
        return {
            "state": "done",
            "carrier_reference": result.carrier_reference,
            "tracking_number": result.tracking_number,
            "tracking_url": result.tracking_url or connector.tracking_url(result.tracking_number),
            "price": result.price,
            "currency_id": (currency or self.company_id.currency_id).id,
            "label_format": result.label_format,
            "error_code": False,
            "error_message": False,
            "retryable": False,
            "outcome_unknown": False,
            "exchange_log": connector.exchange_log() or False,
        }

    # Labels ---------------------------------------------------------------------------

    def _prepare_label_attachment_vals(self, label, label_format):
        """The label as an attachment of the picking, named the way Odoo names carrier
        labels (Odoo finds return labels by that name)."""
        carrier = self.carrier_id
        prefix = (
            carrier._get_delivery_label_prefix()
            if self.kind == "outbound"
            else carrier.get_return_label_prefix()
        )
        return {
            "name": f"{prefix}-{self.tracking_number}.{label_format}",
            "raw": label,
            "res_model": "stock.picking",
            "res_id": self.picking_id.id,
            "mimetype": "application/pdf" if label_format == "pdf" else "application/octet-stream",
        }

    def _omni_attach_label(self, label, label_format):
        """Keep ``label`` (bytes) as the picking's attachment this shipment points at,
        announced in the picking's chatter."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            self._prepare_label_attachment_vals(label, label_format)
        )
        self.write({"label_attachment_id": attachment.id, "label_format": label_format})
        message = (
            self.env._("Label created by %(carrier)s: %(tracking)s (%(reference)s).")
            if self.kind == "outbound"
            else self.env._("Return label created by %(carrier)s: %(tracking)s (%(reference)s).")
        )
        self.picking_id.message_post(
            body=message
            % {
                "carrier": self.carrier_id.name,
                "tracking": self.tracking_number,
                "reference": self.name,
            },
            attachment_ids=attachment.ids,
        )

    @api.depends("state", "label_attachment_id", "carrier_reference", "carrier_id")
    def _compute_can_fetch_label(self):
        for shipment in self:
            connector = (
                shipment.state == "done"
                and not shipment.label_attachment_id
                and shipment.carrier_reference
                and shipment.carrier_id._omni_connector()
            )
            shipment.can_fetch_label = bool(connector and connector.supports_label_download)

    def action_fetch_label(self):
        """Download again the label of a shipment created without it (the download
        failed after the carrier had created the shipment)."""
        for shipment in self:
            if not shipment.can_fetch_label:
                raise UserError(
                    self.env._(
                        "The label of %(reference)s cannot be downloaded again from "
                        "%(carrier)s: only created shipments without label of carriers "
                        "that keep labels can.",
                        reference=shipment.name,
                        carrier=shipment.carrier_id.name,
                    )
                )
            shipment._omni_fetch_label()
        return True

    def _omni_fetch_label(self):
        self.ensure_one()
        carrier = self.carrier_id
        connector = carrier._omni_connector()
        try:
            label = connector.parse_label(connector.request_label(self.carrier_reference))
        except CarrierError as error:
            raise UserError(carrier._omni_error_message(error, connector)) from error
        finally:
            carrier._omni_log_exchanges(connector, "label")
        with self._omni_durable(self.picking_id) as env:
            self.with_env(env)._omni_attach_label(
                label, "pdf" if label.startswith(b"%PDF") else "zpl"
            )

    # Cancellation ---------------------------------------------------------------------

    @api.model
    def _omni_created(self, picking, carrier):
        """The shipment of ``picking`` that ``carrier`` created (its label); a UserError
        when there is none."""
        shipment = self.search(
            [
                ("picking_id", "=", picking.id),
                ("carrier_id", "=", carrier.id),
                ("kind", "=", "outbound"),
                ("state", "=", "done"),
            ],
            limit=1,
        )
        if not shipment:
            raise UserError(
                self.env._(
                    "%(picking)s has no label of %(carrier)s to cancel.",
                    picking=picking.name,
                    carrier=carrier.name,
                )
            )
        return shipment

    @api.model
    def _omni_cancel(self, picking, carrier):
        """Cancel the carrier shipment of ``picking`` and record it."""
        connector = carrier._omni_connector()
        try:
            with self._omni_durable(picking) as env:
                shipment = env["omni.shipment"]._omni_created(picking, carrier)
                shipment._omni_cancel_at_carrier(connector)
        finally:
            carrier._omni_log_exchanges(connector, "cancel")

    def _omni_cancel_at_carrier(self, connector):
        self.ensure_one()
        try:
            connector.cancel(self._omni_result())
        except CarrierError as error:
            raise UserError(
                self.env._(
                    "%(carrier)s could not cancel %(reference)s: %(error)s",
                    carrier=self.carrier_id.name,
                    reference=self.name,
                    error=connector.error_text(error),
                )
            ) from error
        self.write({"state": "cancelled", "exchange_log": connector.exchange_log()})

    # Retries --------------------------------------------------------------------------

    def action_retry(self):
        """Try again failed (or abandoned) shipments, with the same reference."""
        for shipment in self:
            if shipment.state not in ("error", "pending"):
                raise UserError(
                    self.env._(
                        "%(reference)s is %(state)s: only failed shipments are retried.",
                        reference=shipment.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            shipment.state
                        ],
                    )
                )
            shipment._omni_retry()
        return True

    def _omni_retry(self):
        self.ensure_one()
        picking, carrier = self.picking_id, self.carrier_id
        result = self._omni_ship(
            picking, carrier, picking._omni_shipping_data(), self.kind, self.original_tracking
        )
        if self.kind == "outbound" and not picking.carrier_tracking_ref:
            picking.write(
                {
                    "carrier_tracking_ref": result.tracking_number,
                    "carrier_price": carrier.with_context(order=picking.sale_id)._apply_margins(
                        result.price
                    ),
                }
            )

    @api.model
    def _cron_retry_shipments(self, batch_size=50):
        """Retry shipments that failed on the carrier's side, a batch per run."""
        domain = [
            ("state", "=", "error"),
            ("retryable", "=", True),
            ("attempt_count", "<", MAX_AUTOMATIC_ATTEMPTS),
            ("picking_id.state", "not in", ("cancel",)),
        ]
        shipments = self.search(domain, limit=batch_size, order="attempt_date, id")
        for shipment in shipments:
            try:
                shipment._omni_retry()
            except UserError as error:
                _logger.info("Retry of %s failed: %s", shipment.name, error)
        self.env["ir.cron"]._notify_progress(
            done=len(shipments), remaining=self.search_count(domain) - len(shipments)
        )

    # Tracking ---------------------------------------------------------------------------

    def _omni_update_tracking(self, new_events):
        """Stage and delivery date from the events; notify the customer of the latest
        new stage (several stages received together are announced once, the latest)."""
        updates = defaultdict(lambda: self.browse())
        to_notify = []
        for shipment in self:
            events = shipment.event_ids.sorted(lambda event: (event.event_date, event.id))
            latest = events[-1:]
            delivered = events.filtered(lambda event: event.stage == "delivered")[:1]
            updates[(latest.stage, delivered.event_date or False)] |= shipment
            mine = new_events.filtered(lambda event, s=shipment: event.shipment_id == s)
            newest = mine.sorted(lambda event: (event.event_date, event.id))[-1:]
            if newest and (newest == latest or newest.stage in FINAL_STAGES | {"exception"}):
                to_notify.append((shipment, newest.stage))
        for (stage, delivered_date), shipments in updates.items():
            shipments.write({"tracking_stage": stage, "delivered_date": delivered_date})
            shipments.filtered(lambda s: s.kind == "outbound").picking_id.write(
                {"omni_tracking_stage": stage, "omni_delivered_date": delivered_date}
            )
        self.env["omni.tracking.notification"]._omni_notify_stages(to_notify)
        self._omni_flag_delivered_not_validated()

    def _omni_flag_delivered_not_validated(self):
        """A delivery the carrier reports delivered while nobody validated it in Odoo
        (its label was made beforehand) has its stock not taken out and its invoicing
        on delivered quantities waiting: ask whoever is in charge to validate it, once."""
        pickings = self.filtered(
            lambda shipment: shipment.kind == "outbound" and shipment.tracking_stage == "delivered"
        ).picking_id.filtered(lambda picking: picking.state not in ("done", "cancel"))
        summary = self.env._("Delivered by the carrier: validate the transfer")
        for picking in pickings:
            if picking.activity_ids.filtered(lambda activity: activity.summary == summary):
                continue
            shipment = picking.omni_shipment_ids.filtered(lambda s: s.kind == "outbound")[:1]
            picking.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=summary,
                note=self.env._(
                    "%(carrier)s delivered %(tracking)s on %(date)s, but %(picking)s is not "
                    "validated: its stock is still counted and what is invoiced on delivery "
                    "waits. Check the quantities and validate it.",
                    carrier=shipment.carrier_id.name,
                    tracking=shipment.tracking_number,
                    date=shipment.delivered_date,
                    picking=picking.name,
                ),
                user_id=(picking.user_id or shipment.create_uid).id,
            )

    # Tracking polling ---------------------------------------------------------------------

    @api.model
    def _omni_poll_domain(self, interval_minutes):
        threshold = fields.Datetime.now() - timedelta(minutes=interval_minutes)
        return [
            ("state", "=", "done"),
            ("tracking_number", "!=", False),
            ("tracking_stage", "not in", ("delivered", "returned")),
            "|",
            ("last_poll_date", "=", False),
            ("last_poll_date", "<", threshold),
        ]

    @api.model
    def _omni_poll_tracking(self, batch_size=100, interval_minutes=60):
        """Poll one batch of the shipments not polled for ``interval_minutes``.
        Returns (polled, remaining)."""
        domain = self._omni_poll_domain(interval_minutes)
        shipments = self.search(domain, limit=batch_size, order="last_poll_date, id")
        shipments._omni_fetch_tracking()
        return len(shipments), self.search_count(domain)

    def _omni_fetch_tracking(self):
        """Record the tracking events of these shipments: one call per carrier for all
        its shipments, the carriers side by side."""
        calls, connectors = {}, {}
        for carrier, shipments in self.grouped("carrier_id").items():
            connector = carrier._omni_connector()
            if not connector:
                continue
            numbers = shipments.mapped("tracking_number")
            connectors[carrier] = connector
            calls[carrier.id] = (
                lambda deadline, c=connector, n=numbers: c.request_tracking(n, deadline=deadline),
                (carrier.omni_timeout or 10.0) * (max(0, carrier.omni_max_retries) + 1),
            )
        with ParallelCalls(calls) as pending:
            outcomes = pending.results()
        Event = self.env["omni.tracking.event"]
        for carrier, connector in connectors.items():
            outcome = outcomes[carrier.id]
            try:
                if outcome.error:
                    raise outcome.error
                events = connector.parse_tracking(outcome.value)
            except CarrierError as error:
                _logger.warning(
                    "Tracking of %s failed: %s", carrier.name, connector.error_text(error)
                )
                continue
            finally:
                carrier._omni_log_exchanges(connector, "tracking")
            Event._omni_record_events(carrier, events, "poll")
        self.write({"last_poll_date": fields.Datetime.now()})

    @api.model
    def _cron_poll_tracking(self):
        params = self.env["ir.config_parameter"].sudo()
        done, remaining = self._omni_poll_tracking(
            batch_size=int(params.get_param("omni_tms.tracking_batch_size", 100)),
            interval_minutes=int(params.get_param("omni_tms.tracking_interval_minutes", 60)),
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def action_poll_tracking(self):
        """Ask the carriers for these shipments' tracking now."""
        self.check_access("write")
        self.sudo().filtered(
            lambda shipment: shipment.state == "done" and shipment.tracking_number
        )._omni_fetch_tracking()
        return True
