from odoo import api, fields, models

from ..models.omni_return_line import CONDITIONS


class OmniReturnItemMixin(models.AbstractModel):
    """An order line offered for return in a wizard: what may be returned, and what
    the user says is returned."""

    _name = "omni.return.item.mixin"
    _description = "Returnable Item"

    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", readonly=True)
    product_id = fields.Many2one(related="sale_line_id.product_id")
    uom_id = fields.Many2one(related="sale_line_id.product_uom", string="Unit")
    qty_returnable = fields.Float(
        string="Returnable", digits="Product Unit of Measure", readonly=True
    )
    last_day = fields.Date(string="Return by", readonly=True)
    refusal = fields.Char(string="Policy", readonly=True)
    quantity = fields.Float(string="Returned", digits="Product Unit of Measure")
    reason_id = fields.Many2one("omni.return.reason")
    condition = fields.Selection(CONDITIONS, string="Declared Condition")

    @api.model
    def _prepare_item_vals(self, row):
        """The values of an item from a row of ``omni.return._returnable_lines``."""
        return {
            "sale_line_id": row["sale_line_id"],
            "qty_returnable": row["quantity"],
            "last_day": row["last_day"],
            "refusal": row["refusal"],
        }

    def _request_lines(self):
        """The items given a quantity, as ``omni.return._create_request`` takes them."""
        return [item._prepare_request_line() for item in self if item.quantity > 0]

    def _prepare_request_line(self):
        self.ensure_one()
        return {
            # an id: store staff may return lines of orders they cannot read
            "sale_line": self.sale_line_id.id,
            "quantity": self.quantity,
            "reason": self.reason_id,
            "condition": self.condition,
        }
