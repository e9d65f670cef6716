from odoo import fields, models

INVOICE_FORMATS = [
    ("omni", "Omni CSV"),
    ("mondialrelay", "Mondial Relay"),
    ("chronopost", "Chronopost"),
    ("sendcloud", "Sendcloud"),
]


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    omni_invoice_format = fields.Selection(
        INVOICE_FORMATS,
        string="Invoice File Format",
        default="omni",
        help="Columns of the invoice files this carrier sends (see the Cost add-on's README).",
    )
    omni_cost_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Fulfilment Analytic Account",
        copy=False,
        help="Where this carrier's costs are posted; made by the first costing.",
    )
