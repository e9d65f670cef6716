from odoo import fields, models

from .omni_order_cost_line import COMPONENTS, COST_STATES


class AccountAnalyticLine(models.Model):
    """Analytic lines of order costs tell the order, channel, place and carrier, so that
    the analytic reports group and filter them by each."""

    _inherit = "account.analytic.line"

    omni_cost_line_id = fields.Many2one(
        "omni.order.cost.line", string="Order Cost Posting", readonly=True, index="btree_not_null"
    )
    omni_order_id = fields.Many2one(
        "sale.order", string="Sales Order", readonly=True, index="btree_not_null"
    )
    omni_component = fields.Selection(COMPONENTS, string="Cost Component", readonly=True)
    omni_cost_state = fields.Selection(COST_STATES, string="Estimated or Actual", readonly=True)
    omni_team_id = fields.Many2one("crm.team", string="Sales Channel", readonly=True)
    omni_warehouse_id = fields.Many2one(
        "stock.warehouse", string="Warehouse / Store", readonly=True
    )
    omni_carrier_id = fields.Many2one("delivery.carrier", string="Carrier", readonly=True)
