from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Carrier costs accrued in the general ledger when the costing posts a quoted
    price, and released when the carrier's invoice replaces it (the vendor bill books
    the real expense)."""

    _inherit = "res.company"

    omni_cost_accrual = fields.Boolean(
        string="Accrue Carrier Costs",
        help="Post a journal entry for the carrier costs quoted at shipment, reversed "
        "when the carrier's invoice is confirmed.",
    )
    omni_cost_accrual_journal_id = fields.Many2one(
        "account.journal",
        string="Accrual Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
    )
    omni_cost_expense_account_id = fields.Many2one(
        "account.account", string="Carrier Cost Account", help="Expense account of carrier costs."
    )
    omni_cost_accrued_account_id = fields.Many2one(
        "account.account",
        string="Accrued Carrier Costs Account",
        help="Liability account holding the carrier costs not invoiced yet.",
    )

    @api.constrains(
        "omni_cost_accrual",
        "omni_cost_accrual_journal_id",
        "omni_cost_expense_account_id",
        "omni_cost_accrued_account_id",
    )
    def _check_omni_cost_accrual(self):
        for company in self.filtered("omni_cost_accrual"):
            if not (
                company.omni_cost_accrual_journal_id
                and company.omni_cost_expense_account_id
                and company.omni_cost_accrued_account_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s accrues carrier costs: set its accrual journal, carrier "
                        "cost account and accrued carrier costs account.",
                        company=company.name,
                    )
                )
