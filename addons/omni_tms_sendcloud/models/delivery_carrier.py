"""Sendcloud on Omni's connector base: prices of the account's shipping methods,
parcels with their label, return parcels, cancellation, tracking and service points for
Odoo's pickup-location flow."""

from odoo import fields, models

from ..connector import SendcloudConnector

SENDCLOUD_PANEL_URL = "https://panel.sendcloud.sc/api/v2"
SENDCLOUD_SERVICE_POINTS_URL = "https://servicepoints.sendcloud.sc/api/v2"


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("omni_sendcloud", "Sendcloud")],
        ondelete={"omni_sendcloud": "set fixed"},
    )
    omni_sendcloud_public_key = fields.Char(
        string="Sendcloud Public Key",
        groups="base.group_system",
        copy=False,
        help="Public key of the Sendcloud API integration (Settings > Integrations).",
    )
    omni_sendcloud_secret_key = fields.Char(
        string="Sendcloud Secret Key",
        groups="base.group_system",
        copy=False,
        help="Secret key of the Sendcloud API integration. Sendcloud also signs its "
        "webhooks with it.",
    )
    omni_sendcloud_url = fields.Char(
        string="Sendcloud Test Endpoint",
        help="Panel API used in test mode. Sendcloud has no sandbox: every parcel created "
        "on the real API is charged unless cancelled, so point this at a local server.",
    )
    omni_sendcloud_prod_url = fields.Char(
        string="Sendcloud Production Endpoint", default=SENDCLOUD_PANEL_URL
    )
    omni_sendcloud_service_point_url = fields.Char(
        string="Service Points Test Endpoint",
        help="Service-points API used in test mode.",
    )
    omni_sendcloud_service_point_prod_url = fields.Char(
        string="Service Points Production Endpoint", default=SENDCLOUD_SERVICE_POINTS_URL
    )
    omni_sendcloud_shipping_method = fields.Integer(
        string="Shipping Method ID",
        help="Id of the Sendcloud shipping method labels are bought with (as listed by "
        "Sendcloud's shipping methods). Empty: the cheapest method fitting the parcel.",
    )
    omni_sendcloud_sender_address = fields.Integer(
        string="Sender Address ID",
        help="Id of a sender address of the Sendcloud account; empty: its default one.",
    )
    omni_sendcloud_use_locations = fields.Boolean(
        string="Deliver to Service Points",
        help="Customers choose a service point (parcel shop, locker) at checkout.",
    )
    omni_sendcloud_service_point_carrier = fields.Char(
        string="Service Point Carriers",
        help="Sendcloud carrier codes whose service points are offered, comma separated "
        "(e.g. mondial_relay,colissimo); empty: all.",
    )

    def _omni_sendcloud_connector(self):
        self.ensure_one()
        return SendcloudConnector(
            public_key=self._omni_secret("omni_sendcloud_public_key"),
            secret_key=self._omni_secret("omni_sendcloud_secret_key"),
            shipping_method_id=self.omni_sendcloud_shipping_method,
            sender_address_id=self.omni_sendcloud_sender_address,
            service_point_carrier=self.omni_sendcloud_service_point_carrier or "",
            service_point_endpoint=self._omni_endpoint(
                self.omni_sendcloud_service_point_url, self.omni_sendcloud_service_point_prod_url
            ),
            endpoint=self._omni_endpoint(self.omni_sendcloud_url, self.omni_sendcloud_prod_url),
            **self._omni_connector_kwargs(),
        )

    def _omni_sendcloud_get_close_locations(self, partner_address, **kwargs):
        """Sendcloud service points near ``partner_address``, for Odoo's pickup-location
        flow (backend and website checkout)."""
        return self._omni_close_locations(
            partner_address,
            lambda connector: connector.service_points(
                partner_address.country_id.code, partner_address.zip, partner_address.city or ""
            ),
        )
