"""Chronopost on Omni's connector base: prices (quick cost), skybills with PDF or ZPL
labels, return skybills, cancellation, tracking and relay points for Odoo's
pickup-location flow."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..connector import ChronopostConnector
from ..connector.chronopost import ENDPOINT, RELAY_PRODUCT, SHIPPING_MESSAGES

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
        ondelete={"omni_chronopost": "set fixed"},
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
            # What the error codes mean and how to fix them, in the user's language.
            messages={code: self.env._(text) for code, text in SHIPPING_MESSAGES.items()},
            endpoint=self._omni_endpoint(self.omni_chronopost_url, self.omni_chronopost_prod_url),
            **self._omni_connector_kwargs(),
        )

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

    # Relay points -------------------------------------------------------------------

    def _omni_chronopost_get_close_locations(self, partner_address, **kwargs):
        """Chronopost relay points near ``partner_address``, for Odoo's pickup-location
        flow (backend and website checkout)."""
        return self._omni_relay_locations(
            partner_address, city=partner_address.city or "", street=partner_address.street or ""
        )
