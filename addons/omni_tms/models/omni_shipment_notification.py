import psycopg2

from odoo import api, fields, models

from .stock_picking import STAGE_SELECTION


class OmniShipmentNotification(models.Model):
    """A stage a shipment's customer was notified of: at most one per stage."""

    _name = "omni.shipment.notification"
    _description = "Shipment Notification"
    _order = "id desc"
    _rec_name = "stage"

    shipment_id = fields.Many2one(
        "omni.shipment", required=True, readonly=True, ondelete="cascade", index=True
    )
    picking_id = fields.Many2one(related="shipment_id.picking_id", store=True)
    company_id = fields.Many2one(related="shipment_id.company_id", store=True, index=True)
    stage = fields.Selection(STAGE_SELECTION, required=True, readonly=True)
    channels = fields.Char(readonly=True, help="How the customer was told: mail, sms.")

    _sql_constraints = (
        (
            "shipment_stage_uniq",
            "UNIQUE(shipment_id, stage)",
            "A shipment's customer is notified once per stage.",
        ),
    )

    @api.model
    def _omni_claim(self, shipment, stage):
        """The new marker of ``stage`` for ``shipment``, or None when it exists already
        (also when another transaction records it at the same time)."""
        try:
            with self.env.cr.savepoint():
                return self.create({"shipment_id": shipment.id, "stage": stage})
        except psycopg2.errors.UniqueViolation:
            return None
