from odoo import fields, models


class CrmTeam(models.Model):
    """Fees a sales channel takes on each order: marketplace commission, payment fees."""

    _inherit = "crm.team"

    omni_fee_percent = fields.Float(
        string="Channel Fee (%)",
        help="Share of each order's total (taxes included) the channel or payment provider keeps.",
    )
    omni_fee_fixed = fields.Float(
        string="Fixed Fee per Order",
        digits="Product Price",
        help="Fixed fee per order, in the company's currency.",
    )
    omni_cost_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Fulfilment Analytic Account",
        copy=False,
        help="Where this channel's fees are posted; made by the first costing.",
    )

    _sql_constraints = (
        (
            "omni_fee_positive",
            "CHECK(omni_fee_percent >= 0 AND omni_fee_percent <= 100 AND omni_fee_fixed >= 0)",
            "Channel fees are between 0 and 100 % and the fixed fee is not negative.",
        ),
    )
