"""Local fake carrier servers (127.0.0.1, random port) for tests and the demo.

- ``base.FakeServer``: threaded HTTP server, routes, scripted failures (Fail, Hang,
  Drop, Garble), latency, request log;
- ``soap.SoapFakeServer``: the same for SOAP envelopes and faults;
- one module per carrier (``omni_test_carrier``; ``quote_soap`` for the SOAP client).

Run them outside tests with ``python -m`` on ``serve`` (see serve.py).
"""

from .base import (
    Drop,
    Fail,
    FakeRequest,
    FakeResponse,
    FakeServer,
    Garble,
    Hang,
    minimal_pdf,
    route,
)
from .soap import SoapFakeServer, soap_operation, wsdl_schema
from .omni_test_carrier import OmniTestCarrierServer
from .quote_soap import QuoteSoapServer

# Mondial Relay (SOAP)
from .mondialrelay import MondialRelayServer

# Sendcloud (REST)
from .sendcloud import SendcloudServer

# Chronopost (SOAP)
from .chronopost import ChronopostServer
