from odoo import fields, models


class OmniStoreOrder(models.Model):
    _inherit = "omni.store.order"

    accepted_date = fields.Datetime(string="Accepted On", readonly=True, copy=False)

    def action_accept(self):
        result = super().action_accept()
        self.filtered(lambda so: not so.accepted_date).sudo().write(
            {"accepted_date": fields.Datetime.now()}
        )
        return result
