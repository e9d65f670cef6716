from odoo import api, fields, models

from .omni_order_cost_line import COMPONENTS

COST_STATES = [
    ("costed", "Costed"),
    ("missing_rates", "Rates Missing"),
    ("cancelled", "Cancelled"),
]
CARRIER_STATES = [
    ("none", "No Carrier"),
    ("estimated", "Quoted"),
    ("actual", "Invoiced"),
]


class OmniOrderCost(models.Model):
    """What an order cost to fulfil, component by component, and its contribution
    margin: one record per costed order, its figures the sum of its postings."""

    _name = "omni.order.cost"
    _description = "Cost per Order"
    _order = "date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_id = fields.Many2one("crm.team", string="Sales Channel", readonly=True, index=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Shipped From",
        readonly=True,
        help="Where the order shipped from (the first place when it was split).",
    )
    is_store = fields.Boolean(string="From a Store", readonly=True)
    split = fields.Boolean(string="Split Order", readonly=True, help="Shipped from several places.")
    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        readonly=True,
        help="Category of the order's largest line.",
    )
    date = fields.Date(string="Order Date", readonly=True, index=True)
    state = fields.Selection(COST_STATES, default="costed", readonly=True, index=True)
    carrier_state = fields.Selection(
        CARRIER_STATES, string="Carrier Cost Status", default="none", readonly=True
    )
    note = fields.Text(string="Why not Costed", readonly=True)
    costing_date = fields.Datetime(string="Costed On", readonly=True)
    units = fields.Float(string="Units Delivered", readonly=True, digits="Product Unit of Measure")
    amount_carrier = fields.Monetary(string="Carrier Cost", readonly=True)
    amount_picking = fields.Monetary(string="Picking", readonly=True)
    amount_packing = fields.Monetary(string="Packing", readonly=True)
    amount_store = fields.Monetary(string="Store Handling", readonly=True)
    amount_returns = fields.Monetary(string="Returns", readonly=True)
    amount_channel_fee = fields.Monetary(string="Channel Fees", readonly=True)
    amount_estimated = fields.Monetary(string="Estimated", readonly=True)
    amount_actual = fields.Monetary(string="Actual", readonly=True)
    amount_total = fields.Monetary(string="Fulfilment Cost", readonly=True)
    cost_per_unit = fields.Monetary(readonly=True, aggregator="avg")
    revenue = fields.Monetary(readonly=True, help="Untaxed amount of the order.")
    cogs = fields.Monetary(
        string="Cost of Goods",
        readonly=True,
        help="Stock valuation of the goods delivered (less those returned).",
    )
    margin = fields.Monetary(
        string="Contribution Margin", readonly=True, help="Revenue - cost of goods - fulfilment."
    )
    margin_percent = fields.Float(string="Margin (%)", readonly=True, aggregator="avg")
    line_ids = fields.One2many("omni.order.cost.line", "cost_id", string="Postings")

    _sql_constraints = (("order_uniq", "UNIQUE(order_id)", "An order has one cost record."),)

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS omni_order_cost_team_date_idx "
            "ON omni_order_cost (company_id, team_id, date)"
        )

    @api.model
    def _component_field(self, component):
        return f"amount_{component}"

    @api.model
    def _component_fields(self):
        return [self._component_field(code) for code, _label in COMPONENTS]

    def action_open_postings(self):
        self.ensure_one()
        return self.order_id.action_omni_open_costs()

    def action_recompute(self):
        self.env["omni.cost.service"]._cost_orders(self.order_id.ids, raise_on_problems=True)
        return True
