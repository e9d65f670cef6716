from odoo import fields, models

# Who may read the sourcing, hence see it on sales orders.
ALLOCATION_READERS = "sales_team.group_sale_salesman,omni_base.group_omni_warehouse_operator"


class OmniRoutingAllocation(models.Model):
    _name = "omni.routing.allocation"
    _description = "Order Line Sourcing"
    _order = "order_id, order_line_id, id"

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    order_line_id = fields.Many2one(
        "sale.order.line", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    product_id = fields.Many2one(related="order_line_id.product_id", store=True, precompute=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Ships From", required=True, index=True
    )
    quantity = fields.Float(digits="Product Unit of Measure", required=True)
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("procured", "Sent to the warehouse"),
            ("backorder", "Backordered"),
            ("released", "Given back to routing"),
        ],
        default="planned",
        required=True,
        index=True,
    )
    decision_id = fields.Many2one("omni.routing.decision", ondelete="set null")
