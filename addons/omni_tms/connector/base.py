"""The base class of Omni's carrier connectors.

A connector is plain Python: built in the main thread from the carrier's settings,
it turns a Shipment into calls and the carrier's answers into results. Each
operation is split in two so the network part can run in a thread while Odoo's ORM
stays in the main thread:

- ``request_<operation>(..., deadline=None)``: network only, returns the raw answer
  (an HttpResponse, or plain data from a SoapClient);
- ``parse_<operation>(...)``: turns the raw answer into a result, or raises a
  CarrierError naming the carrier's code and what to fix.

``<operation>()`` does both, for sequential use.
"""

import hashlib
import hmac
import json
import logging

from .errors import CarrierError
from .http import HttpClient
from .redaction import Redactor
from .retry import RetryPolicy
from .soap import SoapClient, SoapHttpClient

_logger = logging.getLogger(__name__)
JSON_TYPES = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a number"),
    (str, "a string"),
    (list, "a list"),
    (dict, "an object"),
)


def json_type(value):
    """How JSON names the type of ``value`` ("an object", "a list", "null"...)."""
    return next((name for kind, name in JSON_TYPES if isinstance(value, kind)), "null")


class CarrierConnector:
    """Subclass per carrier; implement the request/parse pairs it supports."""

    name = "carrier"
    #: Header carrying the hex HMAC-SHA256 of a webhook's raw body.
    webhook_signature_header = "X-Omni-Signature"
    #: Whether request_lookup/parse_lookup find a shipment by our reference.
    supports_lookup = False
    #: Whether request_label/parse_label fetch again the label of a created shipment.
    supports_label_download = False
    #: Whether the carrier hands a parcel over at a pickup point to the person named on
    #: its label: the label then names the customer (see Shipment.addressed_to_customer).
    names_customer_at_pickup_point = False

    def __init__(
        self, *, endpoint="", timeout=10.0, retry=None, secrets=(), logger=None, label_format="pdf"
    ):
        self.endpoint = endpoint
        self.timeout = timeout
        #: "pdf" or "zpl" (thermal printers), for the carriers that offer both.
        self.label_format = label_format
        self.retry = retry or RetryPolicy()
        self.redactor = Redactor(secrets)
        self.logger = logger or _logger
        self.exchanges = []

    # Clients --------------------------------------------------------------------

    def http_client(self, base_url=None, **kwargs):
        """An HttpClient on ``base_url`` (default: the endpoint) with this connector's
        timeouts, retries, redaction and exchange log."""
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("connect_timeout", min(5.0, self.timeout))
        kwargs.setdefault("retry", self.retry)
        return HttpClient(
            base_url=self.endpoint if base_url is None else base_url,
            redactor=self.redactor,
            name=self.name,
            logger=self.logger,
            exchanges=self.exchanges,
            **kwargs,
        )

    def soap_client(self, wsdl, endpoint=None, binding="", **kwargs):
        """A SoapClient for the local ``wsdl`` file, posting to ``endpoint``."""
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("connect_timeout", min(5.0, self.timeout))
        kwargs.setdefault("retry", self.retry)
        http = SoapHttpClient(
            redactor=self.redactor,
            name=self.name,
            logger=self.logger,
            exchanges=self.exchanges,
            **kwargs,
        )
        return SoapClient(
            wsdl=wsdl,
            http=http,
            endpoint=self.endpoint if endpoint is None else endpoint,
            binding=binding,
        )

    def exchange_log(self):
        """The redacted exchanges so far, as text."""
        return "\n\n".join(exchange.as_text() for exchange in self.exchanges)

    # Operations: override the pairs the carrier supports --------------------------

    def request_rate(self, request, deadline=None):
        raise self.unsupported("rates")

    def parse_rate(self, request, raw):
        """A RateResult."""
        raise self.unsupported("rates")

    def request_shipment(self, request, reference, deadline=None):
        """Create the shipment; ``reference`` is our idempotency key for it."""
        raise self.unsupported("shipments")

    def parse_shipment(self, request, raw):
        """A ShipmentResult."""
        raise self.unsupported("shipments")

    def request_lookup(self, reference, deadline=None):
        raise self.unsupported("shipment look-up")

    def parse_lookup(self, raw):
        """The ShipmentResult created earlier with ``reference``, or None."""
        raise self.unsupported("shipment look-up")

    def request_label(self, carrier_reference, deadline=None):
        """The label of the shipment the carrier knows as ``carrier_reference``."""
        raise self.unsupported("label downloads")

    def parse_label(self, raw):
        """The label's bytes (PDF or ZPL)."""
        raise self.unsupported("label downloads")

    def request_cancel(self, shipment, deadline=None):
        """Cancel ``shipment`` (a ShipmentResult)."""
        raise self.unsupported("cancellation")

    def parse_cancel(self, raw):
        raise self.unsupported("cancellation")

    def request_return(self, request, reference, original_tracking, deadline=None):
        raise self.unsupported("return labels")

    def parse_return(self, request, raw):
        """A ShipmentResult for the return."""
        raise self.unsupported("return labels")

    def request_tracking(self, tracking_numbers, deadline=None):
        raise self.unsupported("tracking")

    def parse_tracking(self, raw):
        """A list of TrackingEvent."""
        raise self.unsupported("tracking")

    def parse_webhook(self, headers, body):
        """A list of TrackingEvent from a webhook whose signature was verified; a body
        that is not what the carrier sends is a CarrierError (see ``webhook_data`` and
        ``webhook_value``), never another exception."""
        raise self.unsupported("webhooks")

    def tracking_url(self, tracking_number):
        return ""

    # Sequential shortcuts ---------------------------------------------------------

    def rate(self, request, deadline=None):
        return self.parse_rate(request, self.request_rate(request, deadline=deadline))

    def ship(self, request, reference, deadline=None):
        raw = self.request_shipment(request, reference, deadline=deadline)
        return self.parse_shipment(request, raw)

    def lookup(self, reference, deadline=None):
        return self.parse_lookup(self.request_lookup(reference, deadline=deadline))

    def cancel(self, shipment, deadline=None):
        return self.parse_cancel(self.request_cancel(shipment, deadline=deadline))

    def create_return(self, request, reference, original_tracking, deadline=None):
        raw = self.request_return(request, reference, original_tracking, deadline=deadline)
        return self.parse_return(request, raw)

    def track(self, tracking_numbers, deadline=None):
        return self.parse_tracking(self.request_tracking(tracking_numbers, deadline=deadline))

    # Webhooks ---------------------------------------------------------------------

    @staticmethod
    def sign(secret, body):
        return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    def verify_webhook(self, headers, body, secret):
        """Whether the webhook's signature is the HMAC-SHA256 of ``body`` with
        ``secret``; False without a secret or a signature (fail closed)."""
        if not secret:
            return False
        signature = (headers.get(self.webhook_signature_header) or "").strip().lower()
        if not signature:
            return False
        return hmac.compare_digest(signature.encode(), self.sign(secret, body).encode())

    def webhook_error(self, problem):
        return CarrierError(f"{self.name}: malformed webhook: {problem}.", code="WEBHOOK")

    def webhook_data(self, body):
        """The JSON object of a webhook's body."""
        try:
            data = json.loads(body)
        except RecursionError as error:
            raise self.webhook_error("its JSON is nested too deeply") from error
        except ValueError as error:
            raise self.webhook_error(f"its body is not JSON ({error})") from error
        if not isinstance(data, dict):
            raise self.webhook_error(f"its body is {json_type(data)}, not an object")
        return data

    def webhook_value(self, data, path, kind, required=True):
        """The value at ``path`` in a webhook's ``data`` (keys and list positions
        separated by dots, e.g. ``events.0.code``), of JSON type ``kind`` (a Python
        type or a tuple of them); None when it is absent or null and not
        ``required``."""
        value, names = data, path.split(".")
        for depth, name in enumerate(names):
            if isinstance(value, list) and name.isdigit():
                value = value[int(name)] if int(name) < len(value) else None
            elif isinstance(value, dict):
                value = value.get(name)
            else:
                where = ".".join(names[:depth])
                raise self.webhook_error(f"{where} is {json_type(value)}, not an object")
        if value is None and not required:
            return None
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            expected = " or ".join(dict(JSON_TYPES)[each] for each in kinds)
            raise self.webhook_error(f"{path} is {json_type(value)}, not {expected}")
        return value

    # Helpers ----------------------------------------------------------------------

    def unsupported(self, what):
        return CarrierError(f"{self.name} does not support {what}.", code="UNSUPPORTED")

    def error_text(self, error):
        """The text of ``error`` (any exception) with this connector's secrets masked,
        to show, store or log."""
        return self.redactor.text(str(error) or type(error).__name__)
