from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users.filtered(
            lambda user: not user.has_group("omni_base.group_omni_manager")
        )._omni_land_on_store_queue()
        return users

    def _omni_land_on_store_queue(self):
        """Store staff without a home action of their own open Odoo on the store queue,
        their daily screen, rather than on the first app of the menu."""
        staff = self.filtered(
            lambda user: not user.action_id and user.has_group("omni_base.group_omni_store_staff")
        )
        if staff:
            queue = self.env.ref("omni_oms.omni_store_order_action")
            staff.sudo().write({"action_id": queue.id})
