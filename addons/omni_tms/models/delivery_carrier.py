"""Odoo side of Omni's carrier connectors, shared by every connector type.

A delivery type built on Omni's connector base defines its settings and
``_<type>_connector()``, returning a ``connector.CarrierConnector`` built with
``_omni_connector_kwargs()``: Odoo's carrier API for the type (``<type>_rate_shipment``,
``<type>_send_shipping``, ``<type>_get_tracking_link``, ``<type>_cancel_shipment``,
``<type>_get_return_label``) is then the generic one here, unless the type defines one
of them itself (see ``__getattr__``). Pickup points follow Odoo's
``<type>_use_locations`` and ``_<type>_get_close_locations`` (see
``_omni_close_locations``).
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..connector import CarrierError, RetryPolicy, run_call

_logger = logging.getLogger(__name__)

# Odoo's carrier API, which Odoo reaches by delivery type: ``<type>_<method>``.
CARRIER_API = (
    "rate_shipment",
    "send_shipping",
    "get_tracking_link",
    "cancel_shipment",
    "get_return_label",
)


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    omni_lead_time_days = fields.Float(
        string="Lead Time (days)",
        help="Days this carrier usually takes from shipping to delivery. Rate shopping "
        "uses it when the carrier's quotes do not give a lead time.",
    )
    omni_timeout = fields.Float(
        string="Timeout (s)",
        default=10.0,
        help="Longest wait for each call to the carrier. In rate shopping, a carrier "
        "that has not answered by then is skipped.",
    )
    omni_max_retries = fields.Integer(
        string="Retries",
        default=2,
        help="How many times a call that failed on the carrier's side (outage, rate "
        "limit, timeout) is tried again, waiting longer each time.",
    )
    omni_label_format = fields.Selection(
        selection=[("pdf", "PDF"), ("zpl", "ZPL (thermal printers)")],
        string="Label Format",
        default="pdf",
    )
    omni_webhook_secret = fields.Char(
        string="Webhook Secret",
        groups="base.group_system",
        copy=False,
        help="Shared secret the carrier signs its tracking webhooks with (HMAC-SHA256). "
        "Without it, webhooks are refused.",
    )
    omni_webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_omni_webhook_url",
        help="Address to give the carrier for its tracking webhooks.",
    )
    omni_is_connector = fields.Boolean(
        string="Omni Connector",
        compute="_compute_omni_is_connector",
        help="The carrier is built on Omni's connector base: quoted in parallel, "
        "labels with idempotent shipments, tracking events.",
    )

    def __getattr__(self, name):
        """Odoo reaches the provider of a delivery type by name: ``hasattr`` and
        ``getattr`` of ``<type>_rate_shipment``, ``<type>_send_shipping``... A type
        built on Omni's connector base (it defines ``_<type>_connector``) answers each
        method of ``CARRIER_API`` it does not define itself with the generic one,
        ``_omni_<method>``."""
        for method in CARRIER_API:
            delivery_type = name.removesuffix(f"_{method}")
            if delivery_type != name and hasattr(type(self), f"_{delivery_type}_connector"):
                return getattr(self, f"_omni_{method}")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @api.depends("delivery_type")
    def _compute_omni_is_connector(self):
        for carrier in self:
            carrier.omni_is_connector = hasattr(carrier, f"_{carrier.delivery_type}_connector")

    def _compute_omni_webhook_url(self):
        base_url = self.get_base_url()
        for carrier in self:
            carrier.omni_webhook_url = (
                f"{base_url}/omni_tms/webhook/{carrier.id}"
                if carrier.id and carrier.omni_is_connector
                else False
            )

    @api.depends("delivery_type")
    def _compute_can_generate_return(self):
        res = super()._compute_can_generate_return()
        for carrier in self.filtered("omni_is_connector"):
            carrier.can_generate_return = True
        return res

    # Connector ------------------------------------------------------------------

    def _omni_connector(self):
        """The carrier's connector (plain Python), or None for other carriers."""
        self.ensure_one()
        factory = getattr(self, f"_{self.delivery_type}_connector", None)
        return factory() if factory else None

    def _omni_connector_kwargs(self):
        """Settings every connector gets: timeout, retry policy, label format, logger."""
        self.ensure_one()
        return {
            "timeout": self.omni_timeout or 10.0,
            "retry": RetryPolicy(retries=max(0, self.omni_max_retries)),
            "label_format": self.omni_label_format or "pdf",
            "logger": logging.getLogger(f"odoo.addons.omni_tms.carrier.{self.delivery_type}"),
        }

    def _omni_endpoint(self, test_url, production_url):
        """The endpoint to call, following Odoo's production/test switch."""
        self.ensure_one()
        return (production_url if self.prod_environment else test_url) or ""

    def _omni_secret(self, field_name):
        """A credential field only administrators read, for users allowed to ship with
        this carrier (read access to it)."""
        self.ensure_one()
        self.check_access("read")
        return self.sudo()[field_name] or ""

    def _omni_log_exchanges(self, connector, operation):
        """Keep the (redacted) exchanges in Odoo's carrier debug log when enabled."""
        if self.debug_logging and connector.exchanges:
            self.log_xml(connector.exchange_log(), operation)

    def _omni_error_message(self, error, connector):
        """The text of ``error`` to show, the connector's secrets masked."""
        return self.env._(
            "%(carrier)s: %(error)s", carrier=self.name, error=connector.error_text(error)
        )

    # Rates ------------------------------------------------------------------------

    def _omni_rate_shipment(self, order):
        """``<type>_rate_shipment``: the carrier's price for ``order``; Odoo's
        ``rate_shipment`` then applies taxes, margins and free shipping as for any
        carrier. A rate already asked (rate shopping asks the carriers side by side,
        see ``_omni_rate_order``) is only read here."""
        self.ensure_one()
        connector = self._omni_connector()
        asked = self.env.context.get("omni_rate")
        if asked:
            shipment, outcome = asked
        else:
            try:
                shipment = order._omni_shipping_data()
            except UserError as error:
                return {
                    "success": False,
                    "price": 0.0,
                    "error_message": str(error),
                    "warning_message": False,
                }
            outcome = run_call(
                lambda deadline: connector.request_rate(shipment, deadline=deadline),
                self.omni_timeout or None,
            )
        self._omni_log_exchanges(connector, "rate")
        return self._omni_rate_values(connector, shipment, outcome, order.currency_id)

    def _omni_rate_order(self, order, shipment, outcome):
        """Odoo's rate of ``order`` (``rate_shipment``: the carrier's price, then taxes,
        margins and free shipping) from ``outcome``, the answer to a rate call already
        made for ``shipment``. ``rate_shipment`` takes the order alone, so the answer
        reaches ``<type>_rate_shipment`` in the context, for this call only."""
        self.ensure_one()
        return self.with_context(omni_rate=(shipment, outcome)).rate_shipment(order)

    def _omni_rate_values(self, connector, shipment, outcome, currency):
        """Odoo's rate dict from a rate call's outcome, price in ``currency``."""
        self.ensure_one()
        try:
            if outcome.error:
                raise outcome.error
            rate = connector.parse_rate(shipment, outcome.value)
        except CarrierError as error:
            return {
                "success": False,
                "price": 0.0,
                "error_message": self._omni_error_message(error, connector),
                "warning_message": False,
                "omni_error": error,
            }
        return {
            "success": True,
            "price": self._omni_convert(rate.price, rate.currency, currency),
            "error_message": False,
            "warning_message": False,
            "omni_lead_time_days": rate.lead_time_days,
        }

    def _omni_convert(self, amount, currency_code, currency):
        """``amount`` in the carrier's ``currency_code`` converted to ``currency``."""
        if not currency_code or not currency or currency_code == currency.name:
            return amount
        source = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", currency_code)], limit=1)
        )
        if not source:
            return amount
        company = self.company_id or self.env.company
        return source._convert(amount, currency, company, fields.Date.context_today(self))

    # Shipments ----------------------------------------------------------------------

    def _omni_send_shipping(self, pickings):
        """``<type>_send_shipping``: one idempotent shipment per picking."""
        self.ensure_one()
        results = []
        for picking in pickings:
            shipped = self.env["omni.shipment"]._omni_ship(
                picking, self, picking._omni_shipping_data()
            )
            results.append(
                {"exact_price": shipped.price, "tracking_number": shipped.tracking_number}
            )
            if self.return_label_on_delivery:
                self.get_return_label(picking, tracking_number=shipped.tracking_number)
        return results

    def _omni_get_return_label(self, pickings, tracking_number=None, origin_date=None):
        """``<type>_get_return_label``: the return of each picking, back to its sender."""
        self.ensure_one()
        for picking in pickings:
            self.env["omni.shipment"]._omni_ship(
                picking,
                self,
                picking._omni_shipping_data(),
                kind="return",
                original_tracking=tracking_number,
            )

    def _omni_cancel_shipment(self, pickings):
        """``<type>_cancel_shipment``."""
        self.ensure_one()
        for picking in pickings:
            self.env["omni.shipment"]._omni_cancel(picking, self)

    def _omni_get_tracking_link(self, picking):
        """``<type>_get_tracking_link``: the carrier's link template, else the
        connector's tracking page."""
        self.ensure_one()
        reference = picking.carrier_tracking_ref
        if not reference:
            return False
        if self.tracking_url:
            return self.tracking_url.replace("<shipmenttrackingnumber>", reference)
        connector = self._omni_connector()
        return (connector and connector.tracking_url(reference.split(",")[0])) or False

    # Pickup points ------------------------------------------------------------------

    def _omni_close_locations(self, partner_address, search):
        """Pickup points near ``partner_address`` for Odoo's pickup-location flow, as
        ``_<type>_get_close_locations`` returns them: ``search(connector)`` asks the
        carrier and gives Odoo's pickup locations (see ``_omni_pickup_location``)."""
        self.ensure_one()
        if not partner_address.zip or not partner_address.country_id:
            raise UserError(
                self.env._(
                    "Give a postcode and a country to find the pickup points of %(carrier)s.",
                    carrier=self.name,
                )
            )
        connector = self._omni_connector()
        try:
            return search(connector)
        except CarrierError as error:
            raise UserError(self._omni_error_message(error, connector)) from error
        finally:
            self._omni_log_exchanges(connector, "pickup points")

    def _omni_relay_locations(self, partner_address, **search):
        """``_omni_close_locations`` of a connector finding relay points with
        ``request_relay_points(country_code, zip_code, **search)`` and
        ``parse_relay_points`` (see ``_omni_pickup_location``)."""
        return self._omni_close_locations(
            partner_address,
            lambda connector: [
                self._omni_pickup_location(point)
                for point in connector.parse_relay_points(
                    connector.request_relay_points(
                        partner_address.country_id.code, partner_address.zip, **search
                    )
                )
            ],
        )

    @api.model
    def _omni_pickup_location(self, point):
        """A relay point as parsed by a connector (``parse_relay_points``), in the
        format of Odoo's pickup-location selector."""
        return {
            "id": point["id"],
            "name": point["name"].title(),
            "street": point["street"].title(),
            "city": point["city"].title(),
            "zip_code": point["zip"],
            "country_code": point["country_code"],
            "latitude": str(point["latitude"]),
            "longitude": str(point["longitude"]),
            "opening_hours": point["opening_hours"],
            "additional_data": {
                "distance_m": point["distance"],
                "information": point["information"],
            },
        }
