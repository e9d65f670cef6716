# One file per carrier type: connectors are added one by one.
# pylint: disable=consider-merging-classes-inherited
"""Chronopost on Omni's connector base: prices (quick cost), skybills with PDF or ZPL
labels, return skybills, cancellation, tracking and relay points for Odoo's
pickup-location flow."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..connector import CarrierError, ChronopostConnector
from ..connector.chronopost import ENDPOINT, RELAY_PRODUCT

CHRONOPOST_PRODUCTS = [
    ("01", "Chrono 13"),
    ("02", "Chrono 10"),
    ("16", "Chrono 18"),
    ("86", "Chrono Relais"),
    ("44", "Chrono Classic (Europe)"),
]


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("omni_chronopost", "Chronopost")],
        ondelete={"omni_chronopost": lambda carriers: carriers.write({"delivery_type": "fixed"})},
    )
    omni_chronopost_account = fields.Char(
        string="Chronopost Account Number",
        help="Chronopost contract number, 8 digits (19869502 for the public test account).",
    )
    omni_chronopost_sub_account = fields.Char(
        string="Sub-account",
        help="Chronopost sub-account number, if the contract has several.",
    )
    omni_chronopost_password = fields.Char(
        string="Chronopost Password",
        groups="base.group_system",
        copy=False,
        help="Web services password of the Chronopost account.",
    )
    omni_chronopost_url = fields.Char(
        string="Chronopost Test Endpoint",
        default=ENDPOINT,
        help="Host of Chronopost's web services in test mode (Chronopost tells test from "
        "production by the account).",
    )
    omni_chronopost_prod_url = fields.Char(
        string="Chronopost Production Endpoint",
        default=ENDPOINT,
        help="Host of Chronopost's web services in production mode.",
    )
    omni_chronopost_product_code = fields.Selection(
        CHRONOPOST_PRODUCTS,
        string="Chronopost Product",
        default="01",
        help="Service the parcels are shipped with. Chrono Relais delivers to the relay "
        "point the customer chooses.",
    )
    omni_chronopost_return_product_code = fields.Selection(
        CHRONOPOST_PRODUCTS,
        string="Return Product",
        default="01",
        help="Service return parcels travel with, from the customer to the warehouse.",
    )
    omni_chronopost_use_locations = fields.Boolean(
        string="Chronopost Relay Points",
        compute="_compute_omni_chronopost_use_locations",
        help="The customer chooses a relay point (Odoo's pickup-location flow).",
    )

    @api.depends("delivery_type", "omni_chronopost_product_code")
    def _compute_omni_chronopost_use_locations(self):
        for carrier in self:
            carrier.omni_chronopost_use_locations = (
                carrier.delivery_type == "omni_chronopost"
                and carrier.omni_chronopost_product_code == RELAY_PRODUCT
            )

    def _omni_chronopost_connector(self):
        self.ensure_one()
        return ChronopostConnector(
            account_number=self.omni_chronopost_account or "",
            password=self._omni_secret("omni_chronopost_password"),
            sub_account=self.omni_chronopost_sub_account or "",
            product_code=self.omni_chronopost_product_code or "01",
            return_product_code=self.omni_chronopost_return_product_code or "01",
            label_format=self.omni_label_format or "pdf",
            messages=self._omni_chronopost_messages(),
            endpoint=self._omni_endpoint(self.omni_chronopost_url, self.omni_chronopost_prod_url),
            **self._omni_connector_kwargs(),
        )

    def _omni_chronopost_messages(self):
        """What Chronopost's shipment error codes mean and how to fix them, in the
        user's language."""
        _ = self.env._
        retry = _("system error of the service: try again later")
        return {
            "1": retry,
            "29": retry,
            "30": _("invalid account number or password: check the carrier settings"),
            "31": _(
                "a required field is empty: complete the address (name, street, postcode, "
                "city, country) and the weight"
            ),
            "32": _("a field is too long: shorten the address (lines of 38 characters at most)"),
            "33": _("a field is invalid: check the address, the phone number and the e-mail"),
            "34": _("a number is expected: check the weight and the dimensions of the parcels"),
            "35": _(
                "the product is not available for this destination: choose another product "
                "code in the carrier settings"
            ),
            "36": _("no label found for this reservation: create the shipment again"),
            "37": _("the skybill number range of the account is exhausted: contact Chronopost"),
            "38": _("no routing for this postcode: check the postcode and the city of the address"),
        }

    @api.constrains("omni_chronopost_account", "omni_chronopost_sub_account")
    def _check_omni_chronopost_account(self):
        for carrier in self.filtered(lambda c: c.delivery_type == "omni_chronopost"):
            for value in (carrier.omni_chronopost_account, carrier.omni_chronopost_sub_account):
                if value and not value.strip().isdigit():
                    raise ValidationError(
                        self.env._(
                            "%(carrier)s: Chronopost account and sub-account numbers are "
                            "digits only (e.g. 19869502), not %(value)s.",
                            carrier=carrier.name,
                            value=value,
                        )
                    )

    # Odoo's carrier API -------------------------------------------------------------

    def omni_chronopost_rate_shipment(self, order):
        return self._omni_rate_shipment(order)

    def omni_chronopost_send_shipping(self, pickings):
        return self._omni_send_shipping(pickings)

    def omni_chronopost_get_tracking_link(self, picking):
        return self._omni_get_tracking_link(picking)

    def omni_chronopost_cancel_shipment(self, pickings):
        return self._omni_cancel_shipment(pickings)

    def omni_chronopost_get_return_label(self, pickings, tracking_number=None, origin_date=None):
        return self._omni_get_return_label(pickings, tracking_number, origin_date)

    # Relay points -------------------------------------------------------------------

    def _omni_chronopost_get_close_locations(self, partner_address, **kwargs):
        """Chronopost relay points near ``partner_address``, for Odoo's pickup-location
        flow (backend and website checkout)."""
        self.ensure_one()
        if not partner_address.zip or not partner_address.country_id:
            raise UserError(
                self.env._("Give a postcode and a country to find Chronopost relay points.")
            )
        connector = self._omni_connector()
        try:
            points = connector.parse_relay_points(
                connector.request_relay_points(
                    partner_address.country_id.code,
                    partner_address.zip,
                    city=partner_address.city or "",
                    street=partner_address.street or "",
                )
            )
        except CarrierError as error:
            raise UserError(self._omni_error_message(error, connector)) from error
        finally:
            self._omni_log_exchanges(connector, "relay points")
        return [self._omni_pickup_location(point) for point in points]
