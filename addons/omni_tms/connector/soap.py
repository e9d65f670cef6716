"""SOAP calls to carriers with zeep, over the same timeouts, retries and logs as HTTP."""

import os
import threading
from dataclasses import dataclass

import zeep
import zeep.exceptions
import zeep.helpers
from lxml import etree

from .errors import CarrierError, CarrierUnreadable
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
    """zeep transport posting through a SoapHttpClient; ``answered`` once an answer
    came back (so an error after it is about the answer, not the request)."""

    def __init__(self, http, deadline, idempotent):
        super().__init__(timeout=http.timeout, operation_timeout=http.timeout)
        self.http = http
        self.deadline = deadline
        self.idempotent = idempotent
        self.answered = False

    def post(self, address, message, headers):
        response = self.http.request(
            "POST",
            address,
            data=message,
            headers=headers,
            deadline=self.deadline,
            idempotent=self.idempotent,
        )
        self.answered = True
        return response.raw_response


@dataclass
class SoapClient:
    """Calls operations of the WSDL at ``wsdl`` (a local file), sent to ``endpoint``.

    ``http`` carries timeouts, retries and logging (a :class:`SoapHttpClient`).
    :meth:`call` answers plain Python data (dicts, lists, values), so the result can
    cross threads and be parsed later. Error texts have the secrets masked: zeep's
    may quote the answer, which can echo the request.
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
        transport = _Transport(self.http, deadline, idempotent)
        client = zeep.Client(document, transport=transport)
        service = (
            client.create_service(self.binding or self._default_binding(document), self.endpoint)
            if self.endpoint
            else client.service
        )
        try:
            result = getattr(service, operation)(**params)
        except zeep.exceptions.Fault as fault:
            raise CarrierError(
                f"{self.http.name}: {self.http.redactor.text(fault.message)}",
                code=fault.code,
                status=500,
            ) from fault
        except CarrierError:
            raise
        except Exception as error:
            # zeep fails in many ways (its errors, lxml's, IndexError...) on an answer
            # it cannot read; before any answer, only its own errors are the request's.
            if transport.answered:
                raise CarrierUnreadable(
                    f"{self.http.name}: unreadable answer to {operation} "
                    f"({self._detail(error)}); the carrier may have carried out the request."
                ) from error
            if not isinstance(error, zeep.exceptions.Error):
                raise
            raise CarrierError(
                f"{self.http.name}: {operation} could not be written ({self._detail(error)})."
            ) from error
        return zeep.helpers.serialize_object(result, dict)

    def _detail(self, error):
        """The first line of zeep's error text, secrets masked (the answer it may quote
        is in the exchange log)."""
        text = f"{type(error).__name__}: {error}".splitlines()[0]
        return self.http.redactor.text(text)[:300]

    @staticmethod
    def _default_binding(document):
        service = next(iter(document.services.values()))
        port = next(iter(service.ports.values()))
        return str(port.binding.name)
