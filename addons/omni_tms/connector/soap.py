"""SOAP calls to carriers with zeep, over the same timeouts, retries and logs as HTTP."""

import os
import threading
from dataclasses import dataclass

import zeep
import zeep.exceptions
import zeep.helpers
from lxml import etree

from .errors import CarrierError
from .http import HttpClient

_documents = {}
_documents_lock = threading.Lock()


def load_wsdl(path):
    """The parsed WSDL at ``path``, parsed once per file version and then shared."""
    key = (os.path.abspath(path), os.path.getmtime(path))
    with _documents_lock:
        if key not in _documents:
            _documents[key] = zeep.wsdl.Document(key[0], zeep.transports.Transport())
        return _documents[key]


class SoapHttpClient(HttpClient):
    """HttpClient for SOAP: an HTTP 500 carrying a SOAP Fault is an answer, not an outage."""

    def _business_fault(self, response):
        if response.status != 500 or b"Fault" not in response.content:
            return False
        try:
            root = etree.fromstring(response.content)
        except etree.XMLSyntaxError:
            return False
        return bool(root.xpath("//*[local-name()='Fault']"))


class _Transport(zeep.transports.Transport):
    """zeep transport posting through a SoapHttpClient."""

    def __init__(self, http, deadline, idempotent):
        super().__init__(timeout=http.timeout, operation_timeout=http.timeout)
        self.http = http
        self.deadline = deadline
        self.idempotent = idempotent

    def post(self, address, message, headers):
        response = self.http.request(
            "POST",
            address,
            data=message,
            headers=headers,
            deadline=self.deadline,
            idempotent=self.idempotent,
        )
        return response.raw_response


@dataclass
class SoapClient:
    """Calls operations of the WSDL at ``wsdl`` (a local file), sent to ``endpoint``.

    ``http`` carries timeouts, retries and logging (a :class:`SoapHttpClient`).
    :meth:`call` answers plain Python data (dicts, lists, values), so the result can
    cross threads and be parsed later.
    """

    wsdl: str
    http: SoapHttpClient
    endpoint: str = ""
    binding: str = ""

    @property
    def exchanges(self):
        return self.http.exchanges

    def call(self, operation, *, deadline=None, idempotent=True, **params):
        document = load_wsdl(self.wsdl)
        client = zeep.Client(document, transport=_Transport(self.http, deadline, idempotent))
        service = (
            client.create_service(self.binding or self._default_binding(document), self.endpoint)
            if self.endpoint
            else client.service
        )
        try:
            result = getattr(service, operation)(**params)
        except zeep.exceptions.Fault as fault:
            raise CarrierError(
                f"{self.http.name}: {fault.message}", code=fault.code, status=500
            ) from fault
        except (zeep.exceptions.Error, etree.XMLSyntaxError) as error:
            raise CarrierError(
                f"{self.http.name}: unexpected SOAP answer ({type(error).__name__}: {error})."
            ) from error
        return zeep.helpers.serialize_object(result, dict)

    @staticmethod
    def _default_binding(document):
        service = next(iter(document.services.values()))
        port = next(iter(service.ports.values()))
        return str(port.binding.name)
