from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    omni_pick_face_id = fields.Many2one(
        "omni.pick.face",
        "Replenished Pick Face",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The pick face this move replenishes from its reserve location.",
    )

    def _action_assign(self, force_qty=False):
        result = super()._action_assign(force_qty=force_qty)
        if not self.env.context.get("omni_defer_route"):
            self.picking_id._omni_route_if_layout()
        return result
