"""Omni's carrier connector base against local fake servers: retries, timeouts,
redacted logs, SOAP faults, parallel calls and webhook signatures."""

import json
import logging
import time

import pytest
from omni_cli.engines import load_engine

connector = load_engine("omni_tms", "connector")
fake = load_engine("omni_tms", "tests/fake_servers")

API_KEY = "sk_live_9f8e7d6c5b4a"
FAST_RETRY = connector.RetryPolicy(retries=2, backoff=0.01, max_backoff=0.05)


@pytest.fixture
def server():
    with fake.OmniTestCarrierServer(accounts={"ACC1": API_KEY}) as running:
        yield running


def make_connector(server, **kwargs):
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("timeout", 2.0)
    return connector.OmniTestConnector(
        account="ACC1",
        api_key=API_KEY,
        tariff={"base_price": 4.0, "price_per_kg": 1.5, "lead_time_days": 2, "max_weight": 30},
        endpoint=f"{server.url}/sandbox",
        **kwargs,
    )


def paris_request(weight=2.0, zip_code="75011"):
    address = connector.Address
    return connector.Shipment(
        reference="WH/OUT/00001",
        sender=address(
            "Omni DC", "8 Rue du Dauphiné", zip="69800", city="Saint-Priest", country_code="FR"
        ),
        recipient=address(
            "Camille Martin",
            "12 Rue Oberkampf",
            zip=zip_code,
            city="Paris",
            country_code="FR",
            email="camille@example.com",
        ),
        parcels=(connector.Parcel(weight=weight),),
    )


def test_rate_is_deterministic_from_the_tariff(server):
    result = make_connector(server).rate(paris_request(weight=2.0))
    assert result.price == 7.0
    assert result.lead_time_days == 2
    assert server.requests[0].path == "/sandbox/v1/rates"


def test_5xx_and_429_are_retried_with_backoff_then_succeed(server):
    server.script(fake.Fail(503), fake.Fail(429, retry_after=0))
    client = make_connector(server)
    assert client.rate(paris_request()).price == 7.0
    assert len(server.requests) == 3
    assert [exchange.status for exchange in client.exchanges] == [503, 429, 200]


def test_backoff_grows_exponentially_and_honours_retry_after():
    policy = connector.RetryPolicy(backoff=0.5, factor=2.0, max_backoff=3.0)
    assert [policy.delay(n) for n in range(4)] == [0.5, 1.0, 2.0, 3.0]
    assert policy.delay(0, retry_after=1.5) == 1.5
    assert policy.delay(0, retry_after=60) == 3.0


def test_retries_stop_after_the_policy_and_raise_unavailable(server):
    server.script(fake.Fail(502), fake.Fail(502), fake.Fail(502), fake.Fail(502))
    with pytest.raises(connector.CarrierUnavailable) as error:
        make_connector(server).rate(paris_request())
    assert error.value.status == 502
    assert error.value.retryable
    assert len(server.requests) == 3


def test_connection_errors_are_retried(server):
    server.script(fake.Drop())
    assert make_connector(server).rate(paris_request()).price == 7.0
    assert len(server.requests) == 2


def test_a_business_error_is_not_retried_and_names_the_carrier_code(server):
    with pytest.raises(connector.CarrierError) as error:
        make_connector(server).rate(paris_request(zip_code="7501"))
    assert error.value.code == "INVALID_POSTCODE"
    assert "fix the recipient address" in str(error.value)
    assert not error.value.retryable
    assert len(server.requests) == 1


def test_a_timeout_is_raised_as_carrier_timeout(server):
    server.script(fake.Hang(1.0), fake.Hang(1.0), fake.Hang(1.0))
    client = make_connector(server, timeout=0.2, retry=connector.NO_RETRY)
    started = time.monotonic()
    with pytest.raises(connector.CarrierTimeout) as error:
        client.rate(paris_request())
    assert time.monotonic() - started < 0.9
    assert error.value.outcome_unknown


def test_a_deadline_bounds_the_call_and_its_retries(server):
    server.script(*[fake.Hang(0.5)] * 5)
    client = make_connector(server, timeout=5.0)
    started = time.monotonic()
    with pytest.raises(connector.CarrierTimeout):
        client.rate(paris_request(), deadline=time.monotonic() + 0.3)
    assert time.monotonic() - started < 0.6


def test_non_idempotent_calls_are_not_retried_when_the_outcome_is_unknown(server):
    server.script(fake.Fail(503))
    client = make_connector(server).http_client()
    with pytest.raises(connector.CarrierUnavailable) as error:
        client.request("POST", "v1/rates", json={}, idempotent=False)
    assert error.value.outcome_unknown
    assert len(server.requests) == 1
    server.reset()
    server.script(fake.Fail(429, retry_after=0))
    response = client.request("POST", "v1/rates", json={}, idempotent=False)
    assert response.status == 401, "a 429 is retried: the carrier did nothing"
    assert len(server.requests) == 2


def test_secrets_never_reach_the_logs(server, caplog):
    caplog.set_level(logging.DEBUG)
    server.script(fake.Fail(500))
    client = make_connector(server)
    client.http_client(headers={"Authorization": f"Bearer {API_KEY}"}).request(
        "POST", "v1/rates", json={"password": "hunter2-pass", "api_key": API_KEY}
    )
    log = caplog.text + client.exchange_log()
    assert API_KEY in server.requests[0].header("Authorization")
    assert "Authorization: ***" in log
    assert API_KEY not in log
    assert "hunter2-pass" not in log
    assert '"password": "***"' in log


def test_redactor_masks_encoded_secrets_and_credential_fields():
    redactor = connector.Redactor(["p@ss word!"])
    text = redactor.text(
        "user=me&password=x1 p%40ss%20word%21 <ns:Password>abc</ns:Password> "
        '{"secret_key": "s\\"k"} cEBzcyB3b3JkIQ=='
    )
    assert "x1" not in text and "abc" not in text and 's\\"k' not in text
    assert "p%40ss" not in text and "cEBzcyB3b3JkIQ==" not in text
    assert redactor.headers({"X-Api-Key": "k", "Accept": "a"}) == {
        "X-Api-Key": "***",
        "Accept": "a",
    }


def test_redactor_masks_secrets_as_xml_and_python_quote_them():
    secret = "zq&x<k'j>"
    redactor = connector.Redactor([secret])
    for text in (
        "<faultstring>zq&amp;x&lt;k&apos;j&gt;</faultstring>",
        "faultstring: zq&amp;x&lt;k&#x27;j&gt;",
        repr(f"Content: {secret}".encode()),
        repr(f'Content: "{secret}"'),
    ):
        masked = redactor.text(text)
        assert "zq" not in masked and "***" in masked, text


def test_idempotency_key_makes_a_retried_creation_return_the_same_shipment(server):
    client = make_connector(server)
    first = client.ship(paris_request(), "OMS/0001")
    again = client.ship(paris_request(), "OMS/0001")
    assert first.tracking_number == again.tracking_number
    assert len(server.created) == 1
    assert first.label.startswith(b"%PDF")
    assert client.lookup("OMS/0001").tracking_number == first.tracking_number
    assert client.lookup("OMS/0002") is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>502 Bad Gateway</body></html>",
        None,
        b"[]",
        b'{"id": "SHP000001"}',
        b'{"id": "SHP000001", "tracking_number": "OT1", "label": {"content": "abc"}}',
    ],
    ids=["empty", "html", "truncated", "list", "no-tracking-number", "broken-label"],
)
def test_an_unreadable_answer_to_a_creation_is_looked_up_not_sent_twice(server, body):
    client = make_connector(server)
    server.script(fake.Garble(body), path="/v1/shipments")
    with pytest.raises(connector.CarrierError) as error:
        client.ship(paris_request(), "OMS/0004")
    assert error.value.outcome_unknown and error.value.retryable
    assert error.value.code == "UNREADABLE"
    assert client.lookup("OMS/0004").tracking_number == server.created[0]["tracking_number"]
    assert len(server.created) == 1


def test_tracking_events_are_normalised(server):
    client = make_connector(server)
    shipment = client.ship(paris_request(), "OMS/0003")
    server.add_event(shipment.tracking_number, "OD", "Out for delivery", "2025-03-01T08:00:00Z")
    server.add_event(shipment.tracking_number, "ZZ", "Unknown code")
    events = client.track([shipment.tracking_number, "UNKNOWN"])
    assert [event.stage for event in events] == ["label_created", "out_for_delivery"]
    assert events[1].date.isoformat() == "2025-03-01T08:00:00"
    assert events[1].uid == f"{shipment.tracking_number}-2"


def test_webhook_signature_fails_closed():
    client = connector.OmniTestConnector(account="A", api_key="k", tariff={})
    body = b'{"tracking_number": "OT1", "events": []}'
    good = client.sign("whsec", body)
    header = client.webhook_signature_header
    assert client.verify_webhook({header: good}, body, "whsec")
    assert client.verify_webhook({header: good.upper()}, body, "whsec")
    assert not client.verify_webhook({header: good}, body + b" ", "whsec")
    assert not client.verify_webhook({header: good}, body, "other")
    assert not client.verify_webhook({}, body, "whsec")
    assert not client.verify_webhook({header: good}, body, "")
    assert not client.verify_webhook({header: "é" + good[1:]}, body, "whsec")


def test_webhook_events():
    client = connector.OmniTestConnector(account="A", api_key="k", tariff={})
    (event,) = client.parse_webhook({}, webhook_body())
    assert (event.uid, event.stage, event.tracking_number) == ("OT1-2", "delivered", "OT1")
    assert event.date.isoformat() == "2026-03-02T08:00:00"


def webhook_body(event=None, **changes):
    """A tracking webhook of the test carrier, ``changes`` made to its top level and
    ``event`` to its event."""
    data = {
        "tracking_number": "OT1",
        "events": [
            {
                "id": "OT1-2",
                "code": "DL",
                "description": "Delivered",
                "timestamp": "2026-03-02T09:00:00+01:00",
                "location": "Paris",
                **(event or {}),
            }
        ],
        **changes,
    }
    return json.dumps(data).encode()


MALFORMED_WEBHOOKS = {
    "list": b"[]",
    "null": b"null",
    "not-json": b"{tracking_number: OT1}",
    "deeply-nested": b'{"tracking_number": "OT1", "events": '
    + b"[" * 100000
    + b"]" * 100000
    + b"}",
    "tracking-number-number": webhook_body(tracking_number=42),
    "tracking-number-missing": webhook_body(tracking_number=None),
    "events-object": webhook_body(events={"code": "DL"}),
    "event-text": webhook_body(events=["DL"]),
    "id-object": webhook_body({"id": {"n": 2}}),
    "code-number": webhook_body({"code": 7}),
    "timestamp-number": webhook_body({"timestamp": 1772438400}),
    "timestamp-text": webhook_body({"timestamp": "yesterday"}),
    "timestamp-out-of-range": webhook_body({"timestamp": "9999-12-31T23:59:59-14:00"}),
    "timestamp-long": webhook_body({"timestamp": "2026-03-02T09:00:00" + "0" * 5000}),
    "description-list": webhook_body({"description": ["Delivered"]}),
}


@pytest.mark.parametrize("body", MALFORMED_WEBHOOKS.values(), ids=MALFORMED_WEBHOOKS.keys())
def test_malformed_webhooks_are_carrier_errors(body):
    client = connector.OmniTestConnector(account="A", api_key="k", tariff={})
    with pytest.raises(connector.CarrierError) as error:
        client.parse_webhook({}, body)
    assert error.value.code == "WEBHOOK"
    assert len(str(error.value)) < 200, "the value at fault is named, not copied"


def test_parallel_calls_each_with_its_own_timeout():
    def answer(value, delay):
        def call(deadline):
            time.sleep(delay)
            if value is None:
                raise connector.CarrierError("refused", code="E1")
            return value

        return call

    started = time.monotonic()
    outcomes = connector.run_parallel(
        {
            "fast": (answer(1, 0.2), 1.0),
            "slow": (answer(2, 0.2), 1.0),
            "late": (answer(3, 2.0), 0.4),
            "broken": (answer(None, 0.0), 1.0),
        }
    )
    elapsed = time.monotonic() - started
    assert outcomes["fast"].value == 1 and outcomes["slow"].value == 2
    assert isinstance(outcomes["late"].error, connector.CarrierTimeout)
    assert outcomes["broken"].error.code == "E1"
    assert elapsed < 0.9, "the calls ran side by side and the late one was abandoned"


class QuoteConnector(connector.CarrierConnector):
    name = "SOAP quote"

    def __init__(self, password, **kwargs):
        super().__init__(secrets=(password,), **kwargs)
        self.password = password

    def request_rate(self, request, deadline=None):
        client = self.soap_client(str(fake.quote_soap.WSDL))
        return client.call(
            "GetQuote",
            deadline=deadline,
            account="ACC",
            password=self.password,
            weight=request.weight,
            countryCode=request.recipient.country_code,
        )

    def parse_rate(self, request, raw):
        return connector.RateResult(
            price=float(raw["price"]), currency=raw["currency"], lead_time_days=raw["leadTimeDays"]
        )


@pytest.fixture
def soap_server():
    with fake.QuoteSoapServer(password="s3cret-pass") as running:
        yield running


def test_soap_call_goes_to_the_configured_endpoint_with_redacted_logs(soap_server, caplog):
    caplog.set_level(logging.DEBUG)
    client = QuoteConnector("s3cret-pass", endpoint=f"{soap_server.url}/live", retry=FAST_RETRY)
    result = client.rate(paris_request(weight=2.0))
    assert result.price == 7.0 and result.lead_time_days == 2
    assert soap_server.requests[0].path == "/live"
    assert b"<ns0:password>s3cret-pass</ns0:password>" in soap_server.requests[0].body
    assert "s3cret-pass" not in caplog.text + client.exchange_log()


def test_soap_fault_is_an_answer_not_retried(soap_server):
    client = QuoteConnector("wrong", endpoint=soap_server.url, retry=FAST_RETRY)
    with pytest.raises(connector.CarrierError) as error:
        client.rate(paris_request())
    assert "ERR_AUTH" in str(error.value)
    assert error.value.code == "soap:Client"
    assert len(soap_server.requests) == 1


def test_soap_outage_is_retried(soap_server):
    soap_server.script(fake.Fail(503), fake.Fail(500))
    client = QuoteConnector("s3cret-pass", endpoint=soap_server.url, retry=FAST_RETRY)
    assert client.rate(paris_request()).price == 7.0
    assert len(soap_server.requests) == 3
