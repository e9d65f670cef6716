"""Omni's carrier connector base, in plain Python (no Odoo import).

See ``base.CarrierConnector`` for the connector contract, ``shipment`` for the values
connectors are given and give back, ``http.HttpClient`` and ``soap.SoapClient`` for
calls with timeouts, retries and redacted logs, ``parallel`` for running calls side by
side, and ``text`` for values in the form carriers take. Carrier add-ons import what
they use from this package (``odoo.addons.omni_tms.connector``), not from its modules;
``omni_test`` is the test carrier's connector, built the same way.
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
from .base import CarrierConnector, json_type

# The test carrier, on the names above only (a carrier add-on's connector imports them
# from odoo.addons.omni_tms.connector).
from .omni_test import OmniTestConnector
