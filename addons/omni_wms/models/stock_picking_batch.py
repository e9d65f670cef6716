from odoo import models


class StockPickingBatch(models.Model):
    _name = "stock.picking.batch"
    _inherit = ("stock.picking.batch", "omni.pick.route.mixin")
    _omni_pick_list_report_xmlid = "omni_wms.stock_picking_batch_report_omni_pick_list"

    def action_confirm(self):
        result = super().action_confirm()
        self._omni_route_if_layout()
        return result
