from odoo import fields, models
from odoo.tools.misc import clean_context


class OmniReturnRefuse(models.TransientModel):
    _name = "omni.return.refuse"
    _description = "Refuse a Return"

    return_ids = fields.Many2many("omni.return", string="Returns", required=True)
    reason = fields.Text(required=True, help="The customer is told.")

    def action_refuse(self):
        self.ensure_one()
        self.return_ids.with_context(clean_context(self.env.context))._refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
