from odoo import fields, models
from odoo.exceptions import UserError

from .omni_return import RETURN_READERS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_return_ids = fields.One2many(
        "omni.return", "sale_order_id", string="Returns", groups=RETURN_READERS
    )
    omni_return_count = fields.Integer(
        string="Returns Count", compute="_compute_omni_return_count", groups=RETURN_READERS
    )
    omni_exchange_return_id = fields.Many2one(
        "omni.return",
        string="Exchange of Return",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=RETURN_READERS,
        help="The return whose goods this order exchanges.",
    )

    def _compute_omni_return_count(self):
        counts = dict(
            self.env["omni.return"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.omni_return_count = counts.get(order, 0)

    def action_omni_return(self):
        """The backend's return request: what may be returned of this order (or of
        the delivery it is opened from), why and how."""
        self.ensure_one()
        if not self.env["omni.return"]._returnable_lines(orders=self, channel="backend"):
            raise UserError(
                self.env._(
                    "Nothing of %(order)s can be returned: nothing was delivered, or it is "
                    "all returned or being returned already.",
                    order=self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.return.request",
            "name": self.env._("Return of %(order)s", order=self.name),
            "view_mode": "form",
            "target": "new",
            "context": {
                "omni_return_order_id": self.id,
                "omni_return_picking_id": self.env.context.get("omni_return_picking_id"),
            },
        }

    def action_view_omni_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_returns.omni_return_action")
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
