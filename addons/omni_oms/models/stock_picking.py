from odoo import fields, models
from odoo.exceptions import UserError

from .omni_store_order import OPEN_STATES, STORE_ORDER_READERS


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_store_order_ids = fields.One2many(
        "omni.store.order",
        "picking_id",
        string="Store Orders",
        readonly=True,
        groups=STORE_ORDER_READERS,
    )

    def _action_done(self):
        if not self.env.context.get("omni_store_handover"):
            self._omni_check_not_awaiting_pickup()
        result = super()._action_done()
        self.filtered(
            lambda picking: picking.state == "done"
        ).sudo().omni_store_order_ids._on_transfer_done()
        return result

    def _omni_check_not_awaiting_pickup(self):
        awaiting = self.sudo().omni_store_order_ids.filtered(
            lambda so: so.fulfilment == "collect" and so.state in OPEN_STATES
        )
        if awaiting:
            raise UserError(
                self.env._(
                    "%(transfers)s are click & collect orders: hand them over from the store "
                    "counter, with the customer's pickup code.",
                    transfers=", ".join(awaiting.mapped("name")),
                )
            )

    def _omni_validate_for_store(self):
        """Validate these store transfers with everything reserved on them picked; the
        customer is told by Omni's own notifications, not by Odoo's delivery SMS."""
        self.move_ids.filtered(lambda move: move.state not in ("done", "cancel")).picked = True
        self.with_context(omni_store_handover=True, skip_sms=True).button_validate()
        not_done = self.filtered(lambda picking: picking.state != "done")
        if not_done:
            raise UserError(
                self.env._(
                    "%(transfers)s could not be validated: open the transfer to check its "
                    "quantities.",
                    transfers=", ".join(not_done.mapped("name")),
                )
            )
        return True
