from odoo import fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ("stock.picking", "omni.pick.route.mixin")
    _omni_pick_list_report_xmlid = "omni_wms.stock_picking_report_omni_pick_list"

    omni_tote = fields.Integer(
        "Tote",
        copy=False,
        help="Cluster picking: the tote of the cart this order is picked into, in its wave.",
    )

    def write(self, vals):
        previous_batches = self.batch_id if "batch_id" in vals else None
        result = super().write(vals)
        if previous_batches is not None and not self.env.context.get("omni_defer_route"):
            self._omni_route_if_layout()
            (previous_batches - self.batch_id)._omni_routable()._omni_route_if_layout()
        return result

    def _omni_compute_routes(self):
        """Transfers in a batch are walked along the batch's route: they keep the length
        of their own route, and the batch sequences their lines."""
        plans = self._omni_plan_routes()
        in_batch = {picking for picking in plans if picking.batch_id._omni_routable()}
        self._omni_save_routes(
            {picking: plan for picking, plan in plans.items() if picking not in in_batch}
        )
        self._omni_save_routes(
            {picking: plan for picking, plan in plans.items() if picking in in_batch},
            sequences=False,
        )
        self.batch_id._omni_routable()._omni_compute_routes()
