from odoo import fields, models

COST_READERS = (
    "account.group_account_invoice,account.group_account_readonly,omni_base.group_omni_manager"
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_cost_ids = fields.One2many(
        "omni.order.cost", "order_id", string="Fulfilment Costs", groups=COST_READERS
    )
    omni_cost_total = fields.Monetary(
        string="Fulfilment Cost",
        compute="_compute_omni_cost_total",
        groups=COST_READERS,
        currency_field="omni_cost_currency_id",
    )
    omni_cost_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency", groups=COST_READERS
    )

    def _compute_omni_cost_total(self):
        costs = {
            cost.order_id.id: cost.amount_total
            for cost in self.env["omni.order.cost"].search([("order_id", "in", self.ids)])
        }
        for order in self:
            order.omni_cost_total = costs.get(order.id, 0.0)

    def action_omni_compute_cost(self):
        """Cost the order now (the nightly batch does it for every delivered order)."""
        self.env["omni.cost.service"]._cost_orders(self.ids, raise_on_problems=True)
        return self.action_omni_open_costs()

    def action_omni_open_costs(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_cost.omni_order_cost_line_action"
        )
        action["domain"] = [("order_id", "in", self.ids)]
        action["context"] = {"search_default_group_component": 1}
        return action
