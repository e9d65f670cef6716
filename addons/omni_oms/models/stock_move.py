from odoo import Command, api, models
from odoo.tools import float_is_zero

# Move fields whose change changes what is expected in or out of a pool.
ATS_MOVE_FIELDS = {
    "state",
    "product_id",
    "product_uom_qty",
    "product_uom",
    "location_id",
    "location_dest_id",
    "location_final_id",
    "date",
}


class StockMove(models.Model):
    _inherit = "stock.move"

    def init(self):
        # The ATS reads the moves still to happen; done ones are the vast majority.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS omni_oms_stock_move_open_index
                ON stock_move (product_id)
             WHERE state IN ('waiting', 'confirmed', 'partially_available', 'assigned')
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._omni_ats_mark_dirty()
        return moves

    def write(self, vals):
        if ATS_MOVE_FIELDS.isdisjoint(vals):
            return super().write(vals)
        self._omni_ats_mark_dirty()
        result = super().write(vals)
        if {"product_id", "location_id", "location_dest_id", "location_final_id"} & vals.keys():
            self._omni_ats_mark_dirty()
        return result

    def unlink(self):
        self._omni_ats_mark_dirty()
        return super().unlink()

    def _omni_ats_mark_dirty(self):
        self.env["omni.stock.pool"]._ats_mark_dirty(self.product_id, self.company_id)

    def _action_confirm(self, merge=True, merge_into=False):
        moves = super()._action_confirm(merge=merge, merge_into=merge_into)
        self.env["omni.store.order"]._create_for_pickings(moves.picking_id)
        return moves

    def _action_cancel(self):
        result = super()._action_cancel()
        self.picking_id.filtered(
            lambda picking: picking.state == "cancel"
        ).sudo().omni_store_order_ids._on_transfer_cancelled()
        return result

    def _omni_wait_for(self, resupply_move, quantity):
        """Have ``quantity`` (in the product's unit) of this move wait for
        ``resupply_move``, as a chained move does: what the resupply brings is reserved
        for this move, not for another one waiting for the same product. What is already
        reserved for it stays so, on a move of its own."""
        self.ensure_one()
        chain = {
            "procure_method": "make_to_order",
            "move_orig_ids": [Command.link(resupply_move.id)],
        }
        if float_is_zero(self.quantity, precision_rounding=self.product_uom.rounding):
            self.write(chain)
            return
        waiting = self.create([{**vals, **chain} for vals in self._split(quantity)])
        waiting._action_confirm(merge=False)
        self._recompute_state()
