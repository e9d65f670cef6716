"""A fake SOAP quote service (wsdl/omni_quote.wsdl) for the SOAP client's tests."""

from pathlib import Path

from .soap import SoapFakeServer, soap_operation

WSDL = Path(__file__).parent / "wsdl" / "omni_quote.wsdl"
NAMESPACE = "http://omni.example/quote"


class QuoteSoapServer(SoapFakeServer):
    def __init__(self, account="ACC", password="s3cret-pass", **kwargs):
        super().__init__(**kwargs)
        self.account = account
        self.password = password

    @soap_operation("GetQuote")
    def get_quote(self, request, element):
        if (self.text(element, "account"), self.text(element, "password")) != (
            self.account,
            self.password,
        ):
            return self.fault("soap:Client", "ERR_AUTH: bad account or password")
        country = self.text(element, "countryCode")
        if country != "FR":
            return self.fault("soap:Client", f"ERR_COUNTRY: no service to {country}")
        price = 4.5 + 1.25 * float(self.text(element, "weight"))
        return self.envelope(
            f'<GetQuoteResponse xmlns="{NAMESPACE}"><price>{price:.2f}</price>'
            f"<currency>EUR</currency><leadTimeDays>2</leadTimeDays></GetQuoteResponse>"
        )
