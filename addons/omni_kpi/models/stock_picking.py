from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("omni_delivered_date"):
            self._omni_settle_promises()
        return result

    def _omni_settle_promises(self):
        """The carrier delivered these transfers: the orders whose every delivery is
        delivered have their promise kept or broken on the last delivery's date; one
        delivered late breaks the promise at once."""
        orders = self.sale_id.filtered(lambda o: o.omni_promise_status in ("pending", "broken"))
        for order in orders:
            deliveries = order.sudo().picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
            )
            delivered = deliveries.filtered("omni_delivered_date")
            last = max(delivered.mapped("omni_delivered_date"), default=False)
            if not last:
                continue
            if delivered == deliveries or order._omni_local_date(last) > order.omni_promise_date:
                order._omni_promise_settle(last)
