import dataclasses

from odoo import api, fields, models
from odoo.exceptions import UserError


class OmniShipment(models.Model):
    _inherit = "omni.shipment"

    carrier_delivery_type = fields.Selection(related="carrier_id.delivery_type")

    @api.model
    def _omni_request(self, picking, carrier, kind):
        """For a relay point, the delivery address Odoo made of the relay point bears
        the relay's name: Mondial Relay and Chronopost hand the parcel over to the
        customer named on the label, so the customer's name (and contact) goes with the
        relay's address."""
        request = super()._omni_request(picking, carrier, kind)
        customer = picking.partner_id.parent_id
        relay_carriers = ("omni_mondialrelay", "omni_chronopost")
        if carrier.delivery_type not in relay_carriers or not request.pickup_point or not customer:
            return request
        role = "sender" if kind == "return" else "recipient"
        address = getattr(request, role)
        addressee = dataclasses.replace(
            address,
            name=customer.name or address.name,
            phone=address.phone or customer.phone or customer.mobile or "",
            email=address.email or customer.email or "",
        )
        return dataclasses.replace(request, **{role: addressee})

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
