from odoo import fields, models

COMPONENTS = [
    ("carrier", "Carrier"),
    ("picking", "Picking"),
    ("packing", "Packing"),
    ("store", "Store Handling"),
    ("returns", "Returns"),
    ("channel_fee", "Channel Fees"),
]
COST_STATES = [("estimated", "Estimated"), ("actual", "Actual")]


class OmniOrderCostLine(models.Model):
    """One posting of one cost of an order. Lines are never changed: a new costing
    posts the difference with what was posted (a reversal when a cost is gone), so the
    sum of an order's lines is its cost, and each line has its analytic line."""

    _name = "omni.order.cost.line"
    _description = "Order Cost Posting"
    _order = "id desc"

    cost_id = fields.Many2one("omni.order.cost", required=True, index=True, ondelete="cascade")
    order_id = fields.Many2one("sale.order", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True, help="Date of the posting.")
    component = fields.Selection(COMPONENTS, required=True, readonly=True, index=True)
    cost_state = fields.Selection(
        COST_STATES, string="Estimated or Actual", required=True, readonly=True
    )
    source_model = fields.Char(readonly=True)
    source_id = fields.Many2oneReference(
        string="Source ID", model_field="source_model", readonly=True
    )
    source_ref = fields.Char(string="Source", compute="_compute_source_ref")
    amount = fields.Monetary(readonly=True)
    minutes = fields.Float(string="Work (min)", readonly=True, digits=(16, 2))
    team_id = fields.Many2one("crm.team", string="Sales Channel", readonly=True, index=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Warehouse / Store", readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    is_reversal = fields.Boolean(readonly=True, help="Takes back what an earlier costing posted.")

    def _compute_source_ref(self):
        for line in self:
            record = (
                # Only the name of the source, for users who may read the cost.
                self.env[line.source_model].sudo().browse(line.source_id).exists()
                if line.source_model in self.env and line.source_id
                else None
            )
            line.source_ref = record.display_name if record else False
