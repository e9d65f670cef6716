from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def action_omni_audit_carrier_lines(self):
        """Audit this carrier's bill: its lines matched to our shipments by the
        tracking numbers their labels name."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_cost.omni_carrier_invoice_import_action"
        )
        action["context"] = {
            "default_move_id": self.id,
            "default_company_id": self.company_id.id,
            "default_currency_id": self.currency_id.id,
            "default_name": self.ref or self.name,
            "default_date": self.invoice_date or self.date,
        }
        return action
