from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _reset_carrier_id(self, picking):
        """Returns keep an Omni carrier: it creates their return labels."""
        if self.picking_id.carrier_id.omni_is_connector:
            return
        return super()._reset_carrier_id(picking)
