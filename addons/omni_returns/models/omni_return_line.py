from odoo import api, fields, models

CONDITIONS = [
    ("unopened", "Unopened"),
    ("as_new", "Opened, as new"),
    ("used", "Used"),
    ("damaged", "Damaged"),
]


class OmniReturnLine(models.Model):
    """An item of an order the customer sends back: how many, why, and in what state
    they say it is; then what was received, graded and refunded of it. Quantities are
    in the unit of the order line."""

    _name = "omni.return.line"
    _description = "Return Line"
    _order = "return_id, sequence, id"
    _check_company_auto = True

    return_id = fields.Many2one("omni.return", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    state = fields.Selection(related="return_id.state", store=True, index=True)
    company_id = fields.Many2one(related="return_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="return_id.partner_id", store=True, string="Customer")
    team_id = fields.Many2one(related="return_id.team_id", store=True, string="Sales Channel")
    channel = fields.Selection(related="return_id.channel", store=True, string="Requested From")
    warehouse_id = fields.Many2one(
        related="return_id.warehouse_id", store=True, string="Received at"
    )
    date = fields.Datetime(related="return_id.date_request", store=True, string="Requested On")
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    sale_order_id = fields.Many2one(related="return_id.sale_order_id", string="Order")
    product_id = fields.Many2one(
        related="sale_line_id.product_id", store=True, index=True, string="Product"
    )
    categ_id = fields.Many2one(related="product_id.categ_id", store=True, string="Category")
    product_uom_id = fields.Many2one(related="sale_line_id.product_uom", string="Unit")
    quantity = fields.Float(digits="Product Unit of Measure", required=True, readonly=True)
    reason_id = fields.Many2one("omni.return.reason", required=True, readonly=True, index=True)
    is_defective = fields.Boolean(related="reason_id.is_defective")
    condition = fields.Selection(
        CONDITIONS, string="Declared Condition", help="The state the customer says it is in."
    )
    customer_note = fields.Text(string="Customer's Words")
    needs_approval = fields.Boolean(readonly=True)
    bears_fee = fields.Boolean(
        string="Restocking Fee", readonly=True, help="The restocking fee is kept on this line."
    )
    exchange_product_id = fields.Many2one(
        "product.product",
        string="Exchange for",
        check_company=True,
        help="Exchanges: the product sent instead (by default the same).",
    )
    return_move_ids = fields.One2many(
        "stock.move", "omni_return_line_id", string="Return Moves", readonly=True
    )
    qty_received = fields.Float(
        string="Received",
        digits="Product Unit of Measure",
        compute="_compute_qty_received",
        store=True,
    )
    grading_ids = fields.One2many(
        "omni.return.grading", "line_id", string="Gradings", readonly=True
    )
    qty_graded = fields.Float(
        string="Graded", digits="Product Unit of Measure", compute="_compute_qty_graded", store=True
    )
    grade_summary = fields.Char(string="Grades", compute="_compute_qty_graded", store=True)
    refund_line_ids = fields.Many2many(
        "account.move.line", compute="_compute_refunds", string="Credit Note Lines"
    )
    qty_refunded = fields.Float(
        string="Refunded", digits="Product Unit of Measure", compute="_compute_refunds"
    )
    price_unit = fields.Monetary(
        string="Unit Price",
        related="sale_line_id.price_reduce_taxexcl",
        currency_field="currency_id",
    )
    currency_id = fields.Many2one(related="return_id.currency_id")
    amount = fields.Monetary(
        string="Value",
        compute="_compute_amount",
        store=True,
        currency_field="currency_id",
        help="Untaxed value of the quantity returned, at the price of the order.",
    )

    @api.depends(
        "return_move_ids.state",
        "return_move_ids.quantity",
        "return_move_ids.product_uom",
        "return_move_ids.picked",
    )
    def _compute_qty_received(self):
        for line in self:
            done = line.return_move_ids.filtered(lambda move: move.state == "done")
            line.qty_received = sum(
                move.product_uom._compute_quantity(move.quantity, line.sale_line_id.product_uom)
                for move in done
            )

    @api.depends("grading_ids.quantity", "grading_ids.grade_id")
    def _compute_qty_graded(self):
        for line in self:
            line.qty_graded = sum(line.grading_ids.mapped("quantity"))
            line.grade_summary = ", ".join(
                f"{grading.quantity:g} {grading.grade_id.code}" for grading in line.grading_ids
            )

    @api.depends("quantity", "sale_line_id.price_reduce_taxexcl")
    def _compute_amount(self):
        for line in self:
            line.amount = line.quantity * line.sale_line_id.price_reduce_taxexcl

    def _compute_refunds(self):
        for line in self:
            refund_lines = (
                line.return_id.sudo()
                .refund_ids.line_ids.filtered(
                    lambda aml, line=line: (
                        aml.omni_return_line_id == line and aml.parent_state != "cancel"
                    )
                )
                .with_env(self.env)
            )
            line.refund_line_ids = refund_lines
            line.qty_refunded = sum(
                aml.product_uom_id._compute_quantity(aml.quantity, line.sale_line_id.product_uom)
                for aml in refund_lines.sudo()
            )

    @api.depends("product_id", "quantity")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                f"{line.return_id.name}: {line.quantity:g} {line.product_id.display_name}"
            )
