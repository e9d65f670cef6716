from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _get_new_picking_values(self):
        """A delivery gets the rule that chose its order's carrier, to choose again once
        packed."""
        vals = super()._get_new_picking_values()
        order = self.group_id.sale_id
        if order.omni_carrier_rule_id and vals.get("carrier_id") == order.carrier_id.id:
            vals["omni_carrier_rule_id"] = order.omni_carrier_rule_id.id
        return vals
