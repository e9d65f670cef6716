"""Local fake carrier servers (127.0.0.1, random port) for tests and the demo.

- ``base.FakeServer``: threaded HTTP server, routes, scripted failures (Fail, Hang,
  Drop, Garble), latency, request log, ``minimal_pdf`` labels, ``parcel_events`` for
  tracking; ``ReplayServer`` answers a carrier's recorded answers;
- ``soap.SoapFakeServer``: the same for SOAP envelopes and faults, ``wsdl_schema`` to
  check requests against a WSDL;
- the test carrier's server (``omni_test_carrier``); ``quote_soap`` for the SOAP client.

Carrier add-ons build theirs on this package (``odoo.addons.omni_tms.tests.fake_servers``)
in their own ``tests/fake_servers``. ``DEMO_SERVERS`` names, in each of them, the
servers the demo starts and their ports; ``serve.py`` runs them outside tests.
"""

from .base import (
    Drop,
    Fail,
    FakeRequest,
    FakeResponse,
    FakeServer,
    Garble,
    Hang,
    ReplayServer,
    minimal_pdf,
    parcel_events,
    route,
)
from .soap import SoapFakeServer, soap_operation, wsdl_schema
from .omni_test_carrier import OmniTestCarrierServer
from .quote_soap import QuoteSoapServer

DEMO_SERVERS = {"omni_test": (OmniTestCarrierServer, 8079)}
