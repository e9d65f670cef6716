"""Mondial Relay on Omni's connector base: labels (relay or home delivery), return
labels, tracking and relay points for Odoo's pickup-location flow.

Mondial Relay has no rate service: prices come from the carrier's pricing rules
(as Odoo's "Based on Rules"). It has no cancellation either: an expedition that is
not handed over is never charged.
"""

from odoo import api, fields, models

from ..connector import MondialRelayConnector
from ..connector.mondialrelay import RELAY_MODES, STAT_MESSAGES, TEST_ENDPOINT

MONDIALRELAY_DELIVERY_MODES = [
    ("24R", "Relay point"),
    ("24L", "Relay point XL"),
    ("HOM", "Home delivery"),
    ("LD1", "Home delivery (1 person)"),
    ("LDS", "Home delivery (2 people)"),
]


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("omni_mondialrelay", "Mondial Relay (Omni)")],
        ondelete={"omni_mondialrelay": "set fixed"},
    )
    omni_mondialrelay_brand = fields.Char(
        string="Brand Code",
        help="Mondial Relay's brand code (Enseigne), 8 characters, e.g. BDTEST13 for the "
        "public test account.",
    )
    omni_mondialrelay_private_key = fields.Char(
        string="Private Key",
        groups="base.group_system",
        copy=False,
        help="Key the requests are signed with. It is never sent to Mondial Relay.",
    )
    omni_mondialrelay_url = fields.Char(
        string="Mondial Relay Test Endpoint",
        default=TEST_ENDPOINT,
        help="Web service address used while the carrier is in test mode (Mondial Relay "
        "tells test from production by the brand code).",
    )
    omni_mondialrelay_prod_url = fields.Char(
        string="Mondial Relay Production Endpoint",
        default=TEST_ENDPOINT,
        help="Web service address used in production mode.",
    )
    omni_mondialrelay_label_host = fields.Char(
        string="Label Server",
        default="https://www.mondialrelay.com",
        help="Host the label addresses returned by Mondial Relay are relative to.",
    )
    omni_mondialrelay_delivery_mode = fields.Selection(
        MONDIALRELAY_DELIVERY_MODES,
        string="Delivery Mode",
        default="24R",
        help="Relay point modes let the customer choose a relay point; home delivery modes "
        "deliver to the customer's address.",
    )
    omni_mondialrelay_collection_mode = fields.Selection(
        [("REL", "Dropped at a relay point"), ("CCC", "Collected at the warehouse")],
        string="Collection Mode",
        default="REL",
        help="How parcels leave the warehouse. Return labels are always dropped at a relay "
        "point by the customer.",
    )
    omni_mondialrelay_label_size = fields.Selection(
        [("A4", "A4"), ("A5", "A5"), ("10x15", "10 x 15 cm")],
        string="Label Size",
        default="10x15",
    )
    omni_mondialrelay_use_locations = fields.Boolean(
        string="Relay Points",
        compute="_compute_omni_mondialrelay_use_locations",
        help="The customer chooses a relay point (Odoo's pickup-location flow).",
    )

    @api.depends("delivery_type", "omni_mondialrelay_delivery_mode")
    def _compute_omni_mondialrelay_use_locations(self):
        for carrier in self:
            carrier.omni_mondialrelay_use_locations = (
                carrier.delivery_type == "omni_mondialrelay"
                and carrier.omni_mondialrelay_delivery_mode in RELAY_MODES
            )

    # Connector --------------------------------------------------------------------

    def _omni_mondialrelay_connector(self):
        self.ensure_one()
        endpoint = self._omni_endpoint(self.omni_mondialrelay_url, self.omni_mondialrelay_prod_url)
        return MondialRelayConnector(
            brand=self.omni_mondialrelay_brand or "",
            private_key=self._omni_secret("omni_mondialrelay_private_key"),
            collection_mode=self.omni_mondialrelay_collection_mode or "REL",
            delivery_mode=self.omni_mondialrelay_delivery_mode or "24R",
            label_size=self.omni_mondialrelay_label_size or "A4",
            label_host=self.omni_mondialrelay_label_host or "",
            # What the STAT codes mean and how to fix them, in the user's language.
            messages={code: self.env._(text) for code, text in STAT_MESSAGES.items()},
            confirmed_not_created=bool(
                self.env.context.get("omni_mondialrelay_confirmed_not_created")
            ),
            endpoint=endpoint,
            **self._omni_connector_kwargs(),
        )

    # Odoo's carrier API -------------------------------------------------------------

    def omni_mondialrelay_rate_shipment(self, order):
        """Mondial Relay has no rates: the carrier's pricing rules give the price."""
        return self.base_on_rule_rate_shipment(order)

    def omni_mondialrelay_send_shipping(self, pickings):
        # Priced by the rules first: a missing rule stops before any label exists.
        prices = [
            self._get_price_available(picking.sale_id) if picking.sale_id else 0.0
            for picking in pickings
        ]
        results = self._omni_send_shipping(pickings)
        for result, price in zip(results, prices, strict=True):
            result["exact_price"] = price
        return results

    def omni_mondialrelay_cancel_shipment(self, pickings):
        """Mondial Relay cancels nothing: an expedition never handed over is never
        charged. The label is dropped in Omni so that a new one can be made."""
        self.ensure_one()
        Shipment = self.env["omni.shipment"]
        for picking in pickings:
            with Shipment._omni_durable(picking) as env:
                env["omni.shipment"]._omni_created(picking, self).write({"state": "cancelled"})
            picking.message_post(
                body=self.env._(
                    "Mondial Relay has no cancellation: expedition %(tracking)s is dropped "
                    "here and is not charged as long as the parcel is not handed over.",
                    tracking=picking.carrier_tracking_ref,
                )
            )

    # Relay points -------------------------------------------------------------------

    def _omni_mondialrelay_get_close_locations(self, partner_address, **kwargs):
        """Relay points near ``partner_address``, for Odoo's pickup-location flow
        (``sale.order._get_pickup_locations``)."""
        return self._omni_relay_locations(partner_address)
