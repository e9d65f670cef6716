from odoo import models


class OmniShipment(models.Model):
    _inherit = "omni.shipment"

    def _omni_update_tracking(self, new_events):
        """Tracking events of return labels are told on their return."""
        result = super()._omni_update_tracking(new_events)
        returns = self.filtered(
            lambda shipment: shipment.kind == "return"
        ).picking_id.omni_return_id
        returns._update_tracking(new_events)
        return result
