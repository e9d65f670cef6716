from odoo import api, fields, models

from .stock_picking import STAGE_SELECTION


class OmniTrackingNotification(models.Model):
    """How customers hear of a tracking stage: a mail template, and an SMS where
    Odoo's SMS module is installed. Each stage is notified once per shipment."""

    _name = "omni.tracking.notification"
    _inherit = "omni.notification.mixin"
    _description = "Tracking Notification"

    stage = fields.Selection(STAGE_SELECTION, required=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "stock.picking")],
        help="Rendered on the delivery; its tracking link is the delivery's tracking URL.",
    )
    sms_body = fields.Text(help="Rendered on the delivery, e.g. {{ object.carrier_tracking_url }}.")

    @api.model
    def _omni_notify_stages(self, shipment_stages):
        """Notify the customers of the (shipment, stage) pairs not notified yet."""
        shipment_stages = [(s, stage) for s, stage in shipment_stages if s.kind == "outbound"]
        if not shipment_stages:
            return self.env["omni.shipment.notification"]
        shipments = self.env["omni.shipment"].union(*(s for s, _stage in shipment_stages))
        configs = self._omni_configs(shipments.company_id)
        Marker = self.env["omni.shipment.notification"]
        done = {
            (m.shipment_id.id, m.stage)
            for m in Marker.search([("shipment_id", "in", shipments.ids)])
        }
        markers = Marker
        for shipment, stage in shipment_stages:
            config = configs.get((shipment.company_id.id, stage))
            if not config or not shipment.picking_id.partner_id or (shipment.id, stage) in done:
                continue
            marker = Marker._omni_claim(shipment, stage)
            if marker:
                marker.channels = config._omni_send(shipment.picking_id)
                markers |= marker
        return markers
