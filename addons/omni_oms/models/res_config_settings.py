from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omni_peak_mode = fields.Boolean(related="company_id.omni_peak_mode", readonly=False)
    omni_peak_hold_transfers = fields.Boolean(
        related="company_id.omni_peak_hold_transfers", readonly=False
    )
