from odoo import api, models


class OmniCarrierSelection(models.AbstractModel):
    _inherit = "omni.carrier.selection"

    @api.model
    def _omni_rules(self, company):
        """The rules of the kind of shipment being chosen for: deliveries, or return
        labels (``omni_shipment_kind`` "return" in the context)."""
        kind = self.env.context.get("omni_shipment_kind") or "outbound"
        return super()._omni_rules(company).filtered(lambda rule: rule.shipment_kind == kind)
