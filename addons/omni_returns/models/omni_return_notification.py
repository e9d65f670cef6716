from odoo import api, fields, models

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
    _inherit = "omni.notification.mixin"
    _description = "Return Notification"

    stage = fields.Selection(NOTIFIED_STAGES, required=True)
    mail_template_id = fields.Many2one(
        "mail.template", string="Email Template", domain=[("model", "=", "omni.return")]
    )
    sms_body = fields.Text(
        help="Rendered on the return, e.g. {{ object.name }} {{ object.tracking_ref }}."
    )

    @api.model
    def _notify(self, returns, stage):
        """Tell the customers of ``returns`` that ``stage`` was reached; returns the
        channels used per return."""
        configs = self._omni_configs(returns.company_id)
        sent = {}
        for rma in returns:
            config = configs.get((rma.company_id.id, stage))
            if config and rma.partner_id:
                labels = (
                    rma._label_attachments() if stage == "approved" else rma.env["ir.attachment"]
                )
                sent[rma] = config._omni_send(
                    rma.with_context(lang=rma.partner_id.lang),
                    partner_ids=rma.partner_id.ids,
                    attachment_ids=labels.ids,
                )
        return sent
