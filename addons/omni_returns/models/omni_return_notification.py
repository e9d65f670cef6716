import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

NOTIFIED_STAGES = [
    ("approved", "Approved (return label or drop-off)"),
    ("received", "Received"),
    ("refunded", "Refunded"),
    ("refused", "Refused"),
]


class OmniReturnNotification(models.Model):
    """How customers hear of a stage of their return: a mail template (the approval
    carries the return labels) and an SMS where Odoo's SMS module is installed."""

    _name = "omni.return.notification"
    _description = "Return Notification"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    stage = fields.Selection(NOTIFIED_STAGES, required=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to notify for every company without a notification of its own.",
    )
    mail_template_id = fields.Many2one(
        "mail.template", string="Email Template", domain=[("model", "=", "omni.return")]
    )
    send_sms = fields.Boolean(
        string="Send SMS", help="Also send a text message, when Odoo's SMS module is installed."
    )
    sms_body = fields.Text(
        string="SMS Text",
        translate=True,
        help="Rendered on the return, e.g. {{ object.name }} {{ object.tracking_ref }}.",
    )

    _sql_constraints = (
        (
            "stage_company_uniq",
            "UNIQUE(stage, company_id)",
            "A stage has one notification per company.",
        ),
    )

    @api.model
    def _configs(self, companies):
        """{(company id, stage): notification}; a company's own wins over the shared one."""
        configs = {}
        for config in self.search([("company_id", "in", companies.ids + [False])]).sorted(
            lambda config: bool(config.company_id)
        ):
            for company in config.company_id or companies:
                configs[(company.id, config.stage)] = config
        return configs

    @api.model
    def _notify(self, returns, stage):
        """Tell the customers of ``returns`` that ``stage`` was reached; returns the
        channels used per return."""
        configs = self._configs(returns.company_id)
        sent = {}
        for rma in returns:
            config = configs.get((rma.company_id.id, stage))
            if config and rma.partner_id:
                sent[rma] = config._send(rma)
        return sent

    def _send(self, rma):
        """Send by mail (with the return labels when approved) and SMS."""
        self.ensure_one()
        channels = []
        if self.mail_template_id:
            labels = (
                rma._label_attachments() if self.stage == "approved" else self.env["ir.attachment"]
            )
            rma.with_context(lang=rma.partner_id.lang).message_post_with_source(
                self.mail_template_id,
                email_layout_xmlid="mail.mail_notification_light",
                subtype_xmlid="mail.mt_comment",
                partner_ids=rma.partner_id.ids,
                attachment_ids=labels.ids,
            )
            channels.append("mail")
        if self.send_sms and self.sms_body and hasattr(rma, "_message_sms"):
            body = self.env["mail.render.mixin"]._render_template(
                self.with_context(lang=rma.partner_id.lang).sms_body,
                "omni.return",
                rma.ids,
                engine="inline_template",
            )[rma.id]
            rma._message_sms(body, partner_ids=rma.partner_id.ids, put_in_queue=True)
            channels.append("sms")
        return ",".join(channels)
