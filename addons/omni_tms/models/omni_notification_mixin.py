from odoo import api, fields, models


class OmniNotificationMixin(models.AbstractModel):
    """How customers hear of a stage of a document: a mail template, and an SMS where
    Odoo's SMS module is installed; one notification per stage and company, a company's
    own winning over the shared one. Models using it add ``stage`` and
    ``mail_template_id`` for their document."""

    _name = "omni.notification.mixin"
    _description = "Customer Notification"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to notify for every company without a notification of its own.",
    )
    send_sms = fields.Boolean(
        string="Send SMS", help="Also send a text message, when Odoo's SMS module is installed."
    )
    sms_body = fields.Text(string="SMS Text", translate=True)

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

    def _omni_send(self, record, **post_values):
        """Tell the customer of ``record`` (its ``partner_id``) by mail, posted with
        ``post_values``, and SMS; returns the channels used."""
        self.ensure_one()
        partner = record.partner_id
        channels = []
        if self.mail_template_id:
            record.message_post_with_source(
                self.mail_template_id,
                email_layout_xmlid="mail.mail_notification_light",
                subtype_xmlid="mail.mt_comment",
                **post_values,
            )
            channels.append("mail")
        if self.send_sms and self.sms_body and hasattr(record, "_message_sms"):
            body = self.env["mail.render.mixin"]._render_template(
                self.with_context(lang=partner.lang).sms_body,
                record._name,
                record.ids,
                engine="inline_template",
            )[record.id]
            record._message_sms(body, partner_ids=partner.ids, put_in_queue=True)
            channels.append("sms")
        return ",".join(channels) or False
