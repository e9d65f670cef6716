import logging

import psycopg2

from odoo import api, fields, models

from ..connector import STAGES
from .stock_picking import STAGE_SELECTION

_logger = logging.getLogger(__name__)


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
