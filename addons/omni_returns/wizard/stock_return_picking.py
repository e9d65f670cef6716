from odoo import fields, models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values(self):
        """A return request's goods go to the returns location of the warehouse or
        store its policy chose, by that warehouse's receipt operation."""
        vals = super()._prepare_picking_default_values()
        warehouse_id = self.env.context.get("omni_return_warehouse_id")
        if warehouse_id:
            warehouse = self.env["stock.warehouse"].browse(warehouse_id)
            picking_type = self.picking_id.picking_type_id.return_picking_type_id
            if picking_type.warehouse_id != warehouse or picking_type.code != "incoming":
                picking_type = warehouse.in_type_id
            vals.update(
                picking_type_id=picking_type.id,
                location_dest_id=warehouse._omni_return_location().id,
            )
        return vals


class StockReturnPickingLine(models.TransientModel):
    _inherit = "stock.return.picking.line"

    omni_return_line_id = fields.Many2one("omni.return.line", string="Return Line")

    def _prepare_move_default_values(self, new_picking):
        vals = super()._prepare_move_default_values(new_picking)
        if self.omni_return_line_id:
            vals["omni_return_line_id"] = self.omni_return_line_id.id
        return vals
