import logging

from odoo import api, fields, models

from .stock_picking import STAGE_SELECTION

_logger = logging.getLogger(__name__)


class OmniTrackingNotification(models.Model):
    """How customers hear of a tracking stage: a mail template, and an SMS where
    Odoo's SMS module is installed. Each stage is notified once per shipment."""

    _name = "omni.tracking.notification"
    _description = "Tracking Notification"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    stage = fields.Selection(STAGE_SELECTION, required=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to notify for every company without a notification of its own.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "stock.picking")],
        help="Rendered on the delivery; its tracking link is the delivery's tracking URL.",
    )
    send_sms = fields.Boolean(
        string="Send SMS", help="Also send a text message, when Odoo's SMS module is installed."
    )
    sms_body = fields.Text(
        string="SMS Text",
        translate=True,
        help="Rendered on the delivery, e.g. {{ object.carrier_tracking_url }}.",
    )

    _sql_constraints = (
        (
            "stage_company_uniq",
            "UNIQUE(stage, company_id)",
            "A stage has one notification per company.",
        ),
    )

    @api.model
    def _omni_config(self, company, stage):
        """The notification of ``stage`` for ``company``, else the shared one."""
        configs = self.search([("stage", "=", stage), ("company_id", "in", (company.id, False))])
        return configs.filtered("company_id")[:1] or configs[:1]

    @api.model
    def _omni_notify(self, shipment, stage):
        """Notify the customer of ``shipment`` reaching ``stage``, unless already done."""
        picking = shipment.picking_id
        config = self._omni_config(shipment.company_id, stage)
        if shipment.kind != "outbound" or not config or not picking.partner_id:
            return False
        marker = self.env["omni.shipment.notification"]._omni_claim(shipment, stage)
        if not marker:
            return False
        marker.channels = config._omni_send(picking)
        return marker

    def _omni_send(self, picking):
        """Send by mail (and SMS); returns the channels used."""
        self.ensure_one()
        channels = []
        if self.mail_template_id:
            picking.message_post_with_source(
                self.mail_template_id,
                email_layout_xmlid="mail.mail_notification_light",
                subtype_xmlid="mail.mt_comment",
            )
            channels.append("mail")
        if self.send_sms and self.sms_body and hasattr(picking, "_message_sms"):
            partner = picking.partner_id
            body = self.env["mail.render.mixin"]._render_template(
                self.with_context(lang=partner.lang).sms_body,
                "stock.picking",
                picking.ids,
                engine="inline_template",
            )[picking.id]
            picking._message_sms(body, partner_ids=partner.ids)
            channels.append("sms")
        return ",".join(channels) or False
