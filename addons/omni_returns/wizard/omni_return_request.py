from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class OmniReturnRequest(models.TransientModel):
    """The backend's return request, from a sales order or one of its deliveries:
    what may be returned, how many, why; what the return policy says of it before it
    is created; a logistics manager may accept it outside the policy with a note."""

    _name = "omni.return.request"
    _description = "Return Request"

    sale_order_id = fields.Many2one(
        "sale.order",
        string="Order",
        required=True,
        readonly=True,
        default=lambda self: self.env.context.get("omni_return_order_id"),
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        readonly=True,
        default=lambda self: self.env.context.get("omni_return_picking_id"),
        help="Only what this delivery brought is offered.",
    )
    company_id = fields.Many2one(related="sale_order_id.company_id")
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Customer")
    line_ids = fields.One2many(
        "omni.return.request.line",
        "wizard_id",
        string="Items",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    return_method = fields.Selection(
        [("label", "Carrier label"), ("drop_off", "Drop-off at a store")],
        string="Sent Back by",
        required=True,
        default="label",
    )
    store_id = fields.Many2one(
        "stock.warehouse",
        string="Drop-off Store",
        domain="[('omni_is_store', '=', True), ('company_id', '=', company_id)]",
    )
    resolution = fields.Selection(
        [("refund", "Refund"), ("exchange", "Exchange")], required=True, default="refund"
    )
    exchange_ship_now = fields.Boolean(
        string="Ship Exchange before Receipt",
        help="The exchange order ships at once; the refund waits for the goods.",
    )
    note = fields.Text(string="Customer's Note")
    verdict = fields.Text(string="Return Policy", compute="_compute_verdict")
    refused = fields.Boolean(compute="_compute_verdict")
    overridable = fields.Boolean(compute="_compute_verdict")
    override_note = fields.Text(
        help="Why this return is accepted outside the return policy (logistics managers)."
    )
    is_manager = fields.Boolean(compute="_compute_is_manager")

    @api.depends("sale_order_id", "picking_id")
    def _compute_line_ids(self):
        for wizard in self:
            rows = self.env["omni.return"]._returnable_lines(
                orders=wizard.sale_order_id, channel="backend"
            )
            if wizard.picking_id:
                delivered = wizard.picking_id.move_ids.sale_line_id.ids
                rows = [row for row in rows if row["sale_line_id"] in delivered]
            Item = self.env["omni.return.request.line"]
            wizard.line_ids = [Command.clear()] + [
                Command.create(Item._prepare_item_vals(row)) for row in rows
            ]

    def _compute_is_manager(self):
        self.is_manager = self.env.user.has_group("omni_base.group_omni_manager")

    @api.depends(
        "line_ids.quantity",
        "line_ids.reason_id",
        "return_method",
        "store_id",
        "sale_order_id",
    )
    def _compute_verdict(self):
        for wizard in self:
            lines = wizard.line_ids._request_lines()
            if not lines:
                wizard.update({"verdict": False, "refused": False, "overridable": False})
                continue
            explained = self.env["omni.return"]._explain_request(
                wizard.sale_order_id, lines, "backend", **wizard._request_options()
            )
            wizard.refused = not explained["accepted"]
            wizard.overridable = explained["overridable"]
            wizard.verdict = explained["message"] or wizard._accepted_text(explained)

    def _accepted_text(self, explained):
        parts = [
            self.env._(
                "Accepted by policy %(policy)s; received at %(warehouse)s.",
                policy=explained["policy"].name,
                warehouse=explained["warehouse"].name,
            )
        ]
        if explained["needs_approval"]:
            parts.append(self.env._("A logistics manager approves it first."))
        if explained["fee_percent"]:
            parts.append(
                self.env._("Restocking fee: %(percent)s%%.", percent=explained["fee_percent"])
            )
        if explained["label_charged"]:
            parts.append(self.env._("The customer pays the return label."))
        return "\n".join(parts)

    def _request_options(self):
        return {
            "method": self.return_method,
            "store": self.store_id if self.return_method == "drop_off" else None,
            "resolution": self.resolution,
            "exchange_ship_now": self.exchange_ship_now,
            "note": self.note,
        }

    def action_create(self):
        self.ensure_one()
        lines = self.line_ids._request_lines()
        if not lines:
            raise UserError(self.env._("Give the quantity of at least one item returned."))
        if self.return_method == "drop_off" and not self.store_id:
            raise UserError(self.env._("Choose the store the goods are dropped off at."))
        rma = self.env["omni.return"]._create_request(
            self.sale_order_id,
            lines,
            "backend",
            override_note=self.override_note,
            **self._request_options(),
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.return",
            "res_id": rma.id,
            "views": [(False, "form")],
        }


class OmniReturnRequestLine(models.TransientModel):
    _name = "omni.return.request.line"
    _inherit = "omni.return.item.mixin"
    _description = "Return Request Item"

    wizard_id = fields.Many2one("omni.return.request", required=True, ondelete="cascade")
    note = fields.Char(string="Customer's Words")
    exchange_product_id = fields.Many2one("product.product", string="Exchange for")

    @api.model
    def _prepare_item_vals(self, row):
        return dict(super()._prepare_item_vals(row), exchange_product_id=row["product_id"])

    def _prepare_request_line(self):
        return dict(
            super()._prepare_request_line(),
            note=self.note,
            exchange_product=self.exchange_product_id,
        )
