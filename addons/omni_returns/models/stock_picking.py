from odoo import fields, models

from .omni_return import RETURN_READERS


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_return_id = fields.Many2one(
        "omni.return",
        string="Return",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups=RETURN_READERS,
        help="The return request whose goods this transfer brings back.",
    )
    omni_grading_return_id = fields.Many2one(
        "omni.return",
        string="Graded Return",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups=RETURN_READERS,
        help="The return whose graded units this transfer moves to their destinations.",
    )

    def _action_done(self):
        result = super()._action_done()
        self.sudo().omni_return_id._on_pickings_done()
        return result

    def action_omni_return(self):
        """Open the return request of this delivery."""
        self.ensure_one()
        return self.sale_id.with_context(omni_return_picking_id=self.id).action_omni_return()

    def action_view_omni_return(self):
        self.ensure_one()
        rma = self.omni_return_id or self.omni_grading_return_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.return",
            "res_id": rma.id,
            "views": [(False, "form")],
        }
