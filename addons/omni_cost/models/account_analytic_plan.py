from odoo import api, models


class AccountAnalyticPlan(models.Model):
    _inherit = "account.analytic.plan"

    @api.model
    def _omni_cost_plan(self):
        return self.env.ref("omni_cost.account_analytic_plan_fulfilment").sudo()

    @api.model
    def _omni_cost_subplans(self):
        """{model: plan} of the sub-plans of the fulfilment plan."""
        ref = self.env.ref
        return {
            "stock.warehouse": ref("omni_cost.account_analytic_plan_fulfilment_places").sudo(),
            "delivery.carrier": ref("omni_cost.account_analytic_plan_fulfilment_carriers").sudo(),
            "crm.team": ref("omni_cost.account_analytic_plan_fulfilment_channels").sudo(),
        }
