"""Base of fake SOAP carrier servers: envelopes in, envelopes or faults out."""

from lxml import etree

from .base import FakeServer, route

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XSD = "http://www.w3.org/2001/XMLSchema"


def wsdl_schema(path):
    """(the XML schema of the messages of the WSDL at ``path``, its target namespace),
    to check requests the way the service does."""
    schema = etree.parse(str(path)).find(f".//{{{XSD}}}schema")
    return etree.XMLSchema(etree.fromstring(etree.tostring(schema))), schema.get("targetNamespace")


def soap_operation(name):
    """Declare the handler of the operation whose body element is named ``name``; it
    receives (request, element) and returns an answer (see SoapFakeServer)."""

    def decorator(function):
        function.soap_operation = name
        return function

    return decorator


class SoapFakeServer(FakeServer):
    """Answers SOAP POSTs on any path by the local name of the body's first element.

    Handlers return :meth:`envelope` (a body XML string) or :meth:`fault`; the ones that
    create something answer the error codes of :meth:`fail_next` instead, taken with
    :meth:`next_outage`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._operations = {
            member.soap_operation: member for member in self.marked("soap_operation")
        }
        self.outages = []

    def fail_next(self, *codes):
        """Answer the next creations with these error codes of the carrier (e.g. the
        service's system error) instead of carrying them out, or with the SOAP fault of
        a crash of the service for ``"fault"``."""
        with self._lock:
            self.outages.extend(str(code) for code in codes)

    def next_outage(self):
        """The next error code asked for with :meth:`fail_next` (once), or None."""
        with self._lock:
            return self.outages.pop(0) if self.outages else None

    def reset(self):
        with self._lock:
            self.outages.clear()
        return super().reset()

    @route("POST", r"/.*")
    def soap(self, request):
        try:
            root = etree.fromstring(request.body)
        except etree.XMLSyntaxError:
            return self.fault("soap:Client", "Request is not well-formed XML")
        namespace = etree.QName(root).namespace
        body = root.find(f"{{{namespace}}}Body")
        if body is None or not len(body):
            return self.fault("soap:Client", "No SOAP Body", namespace)
        element = body[0]
        handler = self._operations.get(etree.QName(element).localname)
        if not handler:
            return self.fault("soap:Client", f"Unknown operation {element.tag}", namespace)
        return handler(request, element)

    @staticmethod
    def text(element, name):
        """Text of the first descendant of ``element`` with local name ``name``."""
        found = element.xpath(f".//*[local-name()='{name}']")
        return (found[0].text or "") if found else ""

    def envelope(self, body_xml, namespace=SOAP11, status=200):
        xml = (
            f'<?xml version="1.0" encoding="utf-8"?>'
            f'<soap:Envelope xmlns:soap="{namespace}"><soap:Body>{body_xml}'
            f"</soap:Body></soap:Envelope>"
        )
        content_type = "text/xml" if namespace == SOAP11 else "application/soap+xml"
        return self.raw(xml, status, f"{content_type}; charset=utf-8")

    def fault(self, code, message, namespace=SOAP11):
        body = (
            f"<soap:Fault><faultcode>{code}</faultcode>"
            f"<faultstring>{message}</faultstring></soap:Fault>"
        )
        return self.envelope(body, namespace, status=500)

    def failure(self, status, headers=None):
        return self.raw("Service Unavailable", status, "text/html", headers)
