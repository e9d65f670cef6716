from odoo import fields, models
from odoo.exceptions import UserError


class OmniShipment(models.Model):
    _inherit = "omni.shipment"

    carrier_delivery_type = fields.Selection(related="carrier_id.delivery_type")

    def action_mondialrelay_resend(self):
        """Send again a Mondial Relay shipment whose first attempt got no answer, once
        someone checked in Mondial Relay's space that no expedition was created (the
        carrier offers no look-up by reference, so Omni cannot check it itself)."""
        for shipment in self:
            if (
                shipment.carrier_id.delivery_type != "omni_mondialrelay"
                or shipment.state != "error"
                or not shipment.outcome_unknown
            ):
                raise UserError(
                    self.env._(
                        "%(reference)s is not a Mondial Relay shipment waiting for a check "
                        "after an attempt without answer.",
                        reference=shipment.name,
                    )
                )
        return self.with_context(omni_mondialrelay_confirmed_not_created=True).action_retry()
