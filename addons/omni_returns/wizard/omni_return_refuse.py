from odoo import fields, models


class OmniReturnRefuse(models.TransientModel):
    _name = "omni.return.refuse"
    _description = "Refuse a Return"

    return_ids = fields.Many2many(
        "omni.return",
        string="Returns",
        required=True,
        default=lambda self: self.env.context.get("omni_return_ids"),
    )
    reason = fields.Text(required=True, help="The customer is told.")

    def action_refuse(self):
        self.ensure_one()
        self.return_ids._refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
