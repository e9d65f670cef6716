from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omni_carrier_rules_on_confirm = fields.Boolean(
        related="company_id.omni_carrier_rules_on_confirm", readonly=False
    )
