"""Omni's carrier connector base, in plain Python (no Odoo import).

See ``base.CarrierConnector`` for the connector contract, ``http.HttpClient`` and
``soap.SoapClient`` for calls with timeouts, retries and redacted logs, ``parallel``
for running calls side by side, and ``text`` for values in the form carriers take.
"""

from .errors import CarrierError, CarrierTimeout, CarrierUnavailable, CarrierUnreadable
from .redaction import Redactor
from .retry import NO_RETRY, RetryPolicy
from .text import _lt, decimal, fit, parse_timestamp, phone_number, to_ascii, wrap
from .http import Exchange, HttpClient, HttpResponse
from .soap import SoapClient, SoapHttpClient, load_wsdl
from .parallel import CallOutcome, ParallelCalls, run_call, run_parallel
from .shipment import (
    FINAL_STAGES,
    STAGES,
    Address,
    Parcel,
    RateResult,
    Shipment,
    ShipmentResult,
    TrackingEvent,
)
from .base import CarrierConnector
from .omni_test import OmniTestConnector

# Mondial Relay (SOAP)
from .mondialrelay import MondialRelayConnector

# Sendcloud (REST)
from .sendcloud import SendcloudConnector

# Chronopost (SOAP)
from .chronopost import ChronopostConnector
