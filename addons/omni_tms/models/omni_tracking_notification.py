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
    def _omni_configs(self, companies):
        """{(company id, stage): notification}; a company's own notification of a stage
        wins over the shared one."""
        configs = {}
        found = self.search([("company_id", "in", companies.ids + [False])])
        for config in found.sorted(lambda c: bool(c.company_id)):
            for company in companies if not config.company_id else config.company_id:
                configs[(company.id, config.stage)] = config
        return configs

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
            picking._message_sms(body, partner_ids=partner.ids, put_in_queue=True)
            channels.append("sms")
        return ",".join(channels) or False
