from odoo import api, models

from ..engine import costing


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    @api.model
    def _omni_cost_target(self, item, order_row):
        """(model, field, record id) of the record whose account an item is posted
        to: the carrier for carrier costs and return labels, the channel for its fees,
        else the warehouse or store where the work was done."""
        if item.carrier_id:
            return "delivery.carrier", item.carrier_id
        if item.component == costing.CHANNEL_FEE and order_row["team_id"]:
            return "crm.team", order_row["team_id"]
        if item.warehouse_id:
            return "stock.warehouse", item.warehouse_id
        return "crm.team", order_row["team_id"]

    @api.model
    def _omni_cost_accounts(self, items, facts):
        """{item key: analytic account id} of ``items``, the accounts missing made
        (a few records per batch: the places, carriers and channels involved)."""
        targets = {
            item.key: self._omni_cost_target(item, facts["order_rows"][item.order_id])
            for item in items
        }
        by_model = {}
        for model, record_id in set(targets.values()):
            by_model.setdefault(model, set()).add(record_id)
        accounts = {}
        for model, ids in by_model.items():
            records = self.env[model].sudo().browse(sorted(i for i in ids if i))
            for record in records:
                if not record.omni_cost_analytic_account_id:
                    record.omni_cost_analytic_account_id = self.sudo().create(
                        self._prepare_omni_cost_account_vals(record)
                    )
                accounts[model, record.id] = record.omni_cost_analytic_account_id.id
        return {key: accounts.get(target) for key, target in targets.items()}

    @api.model
    def _prepare_omni_cost_account_vals(self, record):
        plans = self.env["account.analytic.plan"]._omni_cost_subplans()
        company = record.company_id if "company_id" in record._fields else False
        return {
            "name": record.display_name,
            "plan_id": plans[record._name].id,
            "company_id": company.id if company else False,
        }
