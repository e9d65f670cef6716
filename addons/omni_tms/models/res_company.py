from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    omni_carrier_rules_on_confirm = fields.Boolean(
        string="Choose Carriers on Confirmation",
        help="When a sales order without a delivery method is confirmed, choose its carrier "
        "with the Omni carrier rules. An order no rule covers is confirmed as it is.",
    )
