import logging
from datetime import datetime

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.omni_base.tools import shortened

from ..connector import STAGES, TrackingEvent
from .stock_picking import STAGE_SELECTION

_logger = logging.getLogger(__name__)

# carrier identifiers (event id, tracking number) longer than this are refused
MAX_IDENTIFIER_LENGTH = 255
IDENTIFIERS = ("uid", "tracking_number")
TEXTS = ("stage", "code", "description", "location")


class OmniTrackingEvent(models.Model):
    """A carrier's tracking event, mapped to one of Omni's normalised stages.

    ``uid`` is the carrier's event id: unique per carrier, so an event received twice
    (by polling and by webhook, or a replayed webhook) is recorded once.
    """

    _name = "omni.tracking.event"
    _description = "Tracking Event"
    _order = "event_date desc, id desc"
    _rec_name = "stage"

    shipment_id = fields.Many2one(
        "omni.shipment", required=True, readonly=True, ondelete="cascade", index=True
    )
    # precomputed: the unique key (carrier, uid) is whole when the row is inserted
    picking_id = fields.Many2one(
        related="shipment_id.picking_id",
        store=True,
        precompute=True,
        string="Transfer",
        index=True,
    )
    carrier_id = fields.Many2one(related="shipment_id.carrier_id", store=True, precompute=True)
    company_id = fields.Many2one(
        related="shipment_id.company_id", store=True, precompute=True, index=True
    )
    tracking_number = fields.Char(readonly=True)
    uid = fields.Char(string="Carrier Event Id", required=True, readonly=True)
    stage = fields.Selection(STAGE_SELECTION, required=True, readonly=True)
    code = fields.Char(string="Carrier Code", readonly=True)
    description = fields.Char(readonly=True)
    location = fields.Char(readonly=True)
    event_date = fields.Datetime(string="Date", required=True, readonly=True)
    source = fields.Selection(
        [("poll", "Polling"), ("webhook", "Webhook")], required=True, readonly=True
    )

    _sql_constraints = (
        (
            "carrier_uid_uniq",
            "UNIQUE(carrier_id, uid)",
            "A carrier's tracking event is recorded once.",
        ),
    )

    @api.model
    def _prepare_event_vals(self, shipment, event, source):
        return {
            "shipment_id": shipment.id,
            "tracking_number": event.tracking_number,
            "uid": event.uid,
            "stage": event.stage,
            "code": event.code,
            "description": (event.description or "")[:255],
            "location": event.location,
            "event_date": event.date,
            "source": source,
        }

    @api.model
    def _omni_check_events(self, events):
        """Raise ValidationError, naming the event and the value at fault, unless each
        of ``events`` can be recorded as it is."""
        for rank, event in enumerate(events, start=1):
            problem = self._omni_event_problem(event)
            if problem:
                raise ValidationError(
                    self.env._("Tracking event %(rank)s: %(problem)s", rank=rank, problem=problem)
                )

    @api.model
    def _omni_event_problem(self, event):
        """What keeps ``event`` from being recorded, or None."""
        if not isinstance(event, TrackingEvent):
            return self.env._("%(value)s is not a tracking event.", value=shortened(repr(event)))
        for name in IDENTIFIERS:
            value = getattr(event, name)
            if not isinstance(value, str) or not value.strip():
                return self.env._(
                    "%(field)s must be a text that is not empty, not %(value)s.",
                    field=name,
                    value=shortened(repr(value)),
                )
            if len(value) > MAX_IDENTIFIER_LENGTH:
                return self.env._(
                    "%(field)s is %(length)s characters long; at most %(max)s are expected.",
                    field=name,
                    length=len(value),
                    max=MAX_IDENTIFIER_LENGTH,
                )
        for name in TEXTS:
            value = getattr(event, name)
            if value and not isinstance(value, str):
                return self.env._(
                    "%(field)s must be a text, not %(value)s.",
                    field=name,
                    value=shortened(repr(value)),
                )
        for name in IDENTIFIERS + TEXTS:
            if "\x00" in (getattr(event, name) or ""):
                return self.env._("%(field)s contains a NUL character.", field=name)
        if not isinstance(event.date, datetime) or event.date.tzinfo:
            return self.env._(
                "date must be a datetime in UTC without time zone, not %(value)s.",
                value=shortened(repr(event.date)),
            )
        return None

    @api.model
    def _omni_record_events(self, carrier, events, source):
        """Record ``events`` (connector TrackingEvents) of ``carrier``'s shipments; the
        ones already known are skipped. Updates the shipments' stage and delivery date
        and sends the customer notifications. Returns counts."""
        events = [event for event in events if event.stage in STAGES]
        shipments = self.env["omni.shipment"].search(
            [
                ("carrier_id", "=", carrier.id),
                ("tracking_number", "in", list({event.tracking_number for event in events})),
                ("state", "in", ("done", "cancelled")),
            ]
        )
        by_number = {shipment.tracking_number: shipment for shipment in shipments}
        known = set(
            self.search(
                [("carrier_id", "=", carrier.id), ("uid", "in", [event.uid for event in events])]
            ).mapped("uid")
        )
        fresh = {}
        for event in events:
            if event.uid not in known and event.tracking_number in by_number:
                fresh.setdefault(event.uid, event)
        created = self._omni_create_events(
            [
                self._prepare_event_vals(by_number[event.tracking_number], event, source)
                for event in fresh.values()
            ]
        )
        created.shipment_id._omni_update_tracking(created)
        unknown = sum(1 for event in events if event.tracking_number not in by_number)
        return {
            "created": len(created),
            "duplicates": len(events) - len(created) - unknown,
            "unknown": unknown,
        }

    @api.model
    def _omni_create_events(self, vals_list):
        """Create events; one recorded meanwhile by another transaction is skipped."""
        created = self._omni_create_unless_recorded(vals_list)
        if created is not None:
            return created
        _logger.info("Tracking events recorded concurrently; creating them one by one")
        created = self.browse()
        for vals in vals_list:
            created |= self._omni_create_unless_recorded([vals]) or self.browse()
        return created

    @api.model
    def _omni_create_unless_recorded(self, vals_list):
        """The new events, or None when one of them is recorded already, also by a
        transaction that committed meanwhile. The events count as created once their
        savepoint is released: a failure there (at the insert or at the flush on
        leaving the savepoint) rolls their rows back, and they must not be used."""
        try:
            with self.env.cr.savepoint():
                events = self.create(vals_list)
        except psycopg2.errors.UniqueViolation:
            return None
        return events
