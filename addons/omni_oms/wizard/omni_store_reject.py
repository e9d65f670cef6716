from odoo import api, fields, models


class OmniStoreReject(models.TransientModel):
    _name = "omni.store.reject"
    _description = "Refuse Store Orders"

    store_order_ids = fields.Many2many("omni.store.order", string="Orders", required=True)
    reason = fields.Selection(
        [
            ("missing", "Item missing or damaged"),
            ("busy", "Too busy today"),
            ("other", "Other"),
        ],
        required=True,
        default="missing",
    )
    note = fields.Char(string="Details")

    @api.model
    def _reason_label(self, reason):
        return dict(self._fields["reason"]._description_selection(self.env))[reason]

    def action_reject(self):
        self.ensure_one()
        reason = self._reason_label(self.reason)
        if self.note:
            reason = f"{reason} ({self.note})"
        self.store_order_ids._reject(reason)
        return {"type": "ir.actions.act_window_close"}
