"""Sendcloud connector against its local fake server: requests valid for Sendcloud's
published OpenAPI, real-shaped answers and errors parsed, retries without duplicates,
signed webhooks, service points."""

import dataclasses
import json
import time

import pytest
from omni_cli.carrier_specs import carrier_specs
from omni_cli.engines import load_engine

connector = load_engine("omni_tms", "connector")
fake = load_engine("omni_tms", "tests/fake_servers")
carrier = load_engine("omni_tms_sendcloud", "connector")
carrier_fake = load_engine("omni_tms_sendcloud", "tests/fake_servers")

PUBLIC_KEY = "pk_3c9a81e2"
SECRET_KEY = "sk_5b0f7d44e1"
FAST_RETRY = connector.RetryPolicy(retries=2, backoff=0.01, max_backoff=0.05)
OPENAPI = carrier_specs("sendcloud")


@pytest.fixture
def server():
    with carrier_fake.SendcloudServer(accounts={PUBLIC_KEY: SECRET_KEY}) as running:
        yield running


def make_connector(server, **kwargs):
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("shipping_method_id", 1002)
    return carrier.SendcloudConnector(
        public_key=kwargs.pop("public_key", PUBLIC_KEY),
        secret_key=kwargs.pop("secret_key", SECRET_KEY),
        endpoint=f"{server.url}/api/v2",
        service_point_endpoint=f"{server.url}/servicepoints/api/v2",
        **kwargs,
    )


def paris_request(weight=3.0, zip_code="75011", street="12 Rue Oberkampf", pickup_point=""):
    address = connector.Address
    return connector.Shipment(
        reference="WH/OUT/00001",
        sender=address(
            "Omni DC", "8 Rue du Dauphiné", zip="69800", city="Saint-Priest", country_code="FR"
        ),
        recipient=address(
            "Camille Martin",
            street,
            zip=zip_code,
            city="Paris",
            country_code="FR",
            email="camille@example.com",
            phone="+33612345678",
        ),
        parcels=(connector.Parcel(weight=weight),),
        value=80.0,
        pickup_point=pickup_point,
    )


# Published schema -------------------------------------------------------------------------


def openapi():
    path = OPENAPI / "openapi.json"
    assert path.exists(), f"Sendcloud's published OpenAPI is expected at {path}"
    return json.loads(path.read_text())


def resolve(spec, schema):
    while "$ref" in schema:
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


TYPES = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "object": dict,
    "array": list,
    "number": (int, float),
}


def schema_errors(spec, schema, value, where="parcel"):
    """Unknown fields, missing required fields and wrong types against ``schema``."""
    schema = resolve(spec, schema)
    errors = []
    expected = schema.get("type") or ("object" if "properties" in schema else None)
    if expected and not isinstance(value, TYPES[expected]):
        return [f"{where}: {type(value).__name__} is not {expected}"]
    if isinstance(value, bool) and expected in ("integer", "number"):
        return [f"{where}: boolean is not {expected}"]
    if expected == "string" and len(value) < schema.get("minLength", 0):
        return [f"{where}: shorter than {schema['minLength']} characters"]
    if expected == "object" and "properties" in schema:
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}.{name}: required")
        for name, item in value.items():
            if name not in schema["properties"]:
                errors.append(f"{where}.{name}: not in the schema")
            else:
                errors += schema_errors(spec, schema["properties"][name], item, f"{where}.{name}")
    return errors


def parcel_schema(spec):
    body = spec["paths"]["/parcels"]["post"]["requestBody"]["content"]["application/json"]
    single = next(s for s in body["schema"]["oneOf"] if "parcel" in s["properties"])
    return single["properties"]["parcel"]


@pytest.mark.conformance
def test_parcel_request_is_valid_for_the_published_schema(server):
    spec = openapi()
    make_connector(server).ship(paris_request(), "OMNI-SHP-0001")
    body = server.requests_to(r"/api/v2/parcels$", "POST")[0].json()
    assert list(body) == ["parcel"]
    assert schema_errors(spec, parcel_schema(spec), body["parcel"]) == []
    assert body["parcel"]["external_reference"] == "OMNI-SHP-0001"
    assert body["parcel"]["request_label"] is True
    assert body["parcel"]["weight"] == "3.000"
    assert body["parcel"]["shipment"] == {"id": 1002}


@pytest.mark.conformance
def test_return_and_service_point_requests_are_valid_for_the_published_schema(server):
    spec = openapi()
    client = make_connector(server, shipping_method_id=2001)
    client.ship(paris_request(pickup_point="10875349"), "OMNI-SHP-0002")
    client.create_return(paris_request(), "OMNI-RET-0002", "3SOMNI000000001")
    outbound, inbound = (r.json()["parcel"] for r in server.requests_to(r"/parcels$", "POST"))
    assert outbound["to_service_point"] == 10875349
    assert inbound["is_return"] is True and inbound["from_name"] == "Omni DC"
    for parcel in (outbound, inbound):
        assert schema_errors(spec, parcel_schema(spec), parcel) == []


@pytest.mark.conformance
def test_an_empty_email_is_left_out_as_the_published_schema_requires(server):
    spec = openapi()
    request = paris_request()
    request = dataclasses.replace(
        request,
        sender=dataclasses.replace(request.sender, email=""),
        recipient=dataclasses.replace(request.recipient, email=""),
    )
    client = make_connector(server)
    client.ship(request, "OMNI-SHP-0013")
    client.create_return(request, "OMNI-RET-0013", "3SOMNI000000001")
    for sent in server.requests_to(r"/parcels$", "POST"):
        parcel = sent.json()["parcel"]
        assert "email" not in parcel and "from_email" not in parcel
        assert schema_errors(spec, parcel_schema(spec), parcel) == []
    assert len(server.created) == 2


@pytest.mark.conformance
def test_query_parameters_are_the_published_ones(server):
    spec = openapi()
    client = make_connector(server)
    client.rate(paris_request())
    client.service_points("FR", "75011")
    for path, template, server_path in (
        ("/shipping_methods", "/shipping_methods", r"/shipping_methods$"),
        ("/service-points", "/service-points", r"/service-points$"),
    ):
        names = {
            resolve(spec, parameter).get("name")
            for parameter in spec["paths"][template]["get"].get("parameters", [])
        }
        sent = server.requests_to(server_path)[0].query
        assert set(sent) <= names, (path, set(sent) - names)


@pytest.mark.conformance
def test_real_shaped_answers_of_the_published_examples_parse():
    spec = openapi()
    client = carrier.SendcloudConnector(public_key="p", secret_key="s", endpoint="")
    examples = spec["paths"]["/shipping_methods"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["examples"]
    body = next(iter(examples.values()))["value"]
    raw = connector.HttpResponse(200, {}, json.dumps(body).encode(), 0.0)
    nl = connector.Shipment(
        reference="R",
        sender=connector.Address("A", country_code="NL"),
        recipient=connector.Address("B", country_code="NL"),
        parcels=(connector.Parcel(weight=1.0),),
    )
    rate = client.parse_rate(nl, raw)
    assert rate.price == min(
        country["price"]
        for method in body["shipping_methods"]
        for country in method["countries"]
        if country["iso_2"] == "NL"
    )
    tracking = spec["paths"]["/tracking/{tracking_number}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["examples"]
    blob = next(iter(tracking.values()))["value"]
    answer = connector.HttpResponse(200, {}, json.dumps(blob).encode(), 0.0)
    events = client.parse_tracking([("3SYZXG132912330", answer)])
    assert {event.stage for event in events} == {"label_created", "in_transit"}
    assert all(event.date.tzinfo is None for event in events)
    error = spec["paths"]["/parcels"]["post"]["responses"]["400"]["content"]["application/json"][
        "examples"
    ]
    fault = next(iter(error.values()))["value"]
    with pytest.raises(connector.CarrierError) as raised:
        client.parse_shipment(
            nl, (connector.HttpResponse(400, {}, json.dumps(fault).encode(), 0.0), None, None)
        )
    assert raised.value.code == "400"
    assert "PostNL service error" in raised.value.message


# Operations against the fake --------------------------------------------------------------


def test_rate_is_the_price_of_the_configured_method_for_the_country(server):
    rate = make_connector(server).rate(paris_request(weight=3.0))
    assert rate.price == 8.95
    assert rate.lead_time_days == 2
    assert rate.service == "Colissimo Home 2-5kg"
    query = server.requests[0].query
    assert query == {"to_country": "FR", "from_postal_code": "69800", "to_postal_code": "75011"}


def test_rate_without_method_takes_the_cheapest_fitting_one(server):
    client = make_connector(server, shipping_method_id=0)
    rate = client.rate(paris_request(weight=1.0))
    assert (rate.price, rate.service) == (6.95, "Colissimo Home 0-2kg")
    # Service-point methods only for deliveries to a service point.
    rate = client.rate(paris_request(weight=1.0, pickup_point="10875349"))
    assert (rate.price, rate.service) == (4.4, "Mondial Relay Point Relais 0-20kg")
    assert server.requests[-1].query["service_point_id"] == "10875349"


def test_rate_outside_the_method_weight_names_what_to_fix(server):
    with pytest.raises(connector.CarrierError) as error:
        make_connector(server).rate(paris_request(weight=12.0))
    assert error.value.code == "NO_SHIPPING_METHOD"
    assert "12 kg" in error.value.message


def test_shipment_creates_a_parcel_with_its_pdf_label(server):
    result = make_connector(server).ship(paris_request(), "OMNI-SHP-0003")
    assert result.tracking_number == "3SOMNI000000001"
    assert result.carrier_reference == "1"
    assert result.label.startswith(b"%PDF-")
    assert result.price == 8.95
    assert len(server.created) == 1


def test_bad_credentials_are_a_clear_error(server):
    with pytest.raises(connector.CarrierError) as error:
        make_connector(server, secret_key="wrong").ship(paris_request(), "OMNI-SHP-0004")
    assert error.value.code == "401"
    assert "API keys" in error.value.message
    assert not error.value.retryable
    assert server.created == []


@pytest.mark.parametrize(
    ("kwargs", "code", "hint"),
    [
        ({"zip_code": "7501"}, "400/postal_code", "postcode"),
        ({"street": "Rue " * 30}, "400/address", "75 characters"),
        ({"weight": 7.0}, "400/weight", "weight"),
    ],
)
def test_parcel_errors_name_sendclouds_code_and_the_fix(server, kwargs, code, hint):
    with pytest.raises(connector.CarrierError) as error:
        make_connector(server).ship(paris_request(**kwargs), "OMNI-SHP-0005")
    assert error.value.code == code
    assert hint in error.value.message
    assert server.created == []


def test_the_fake_refuses_a_blank_email_as_sendcloud_does(server):
    parcel = make_connector(server)._prepare_parcel(paris_request(), "OMNI-SHP-0014")
    answer = (
        make_connector(server)
        ._client()
        .request("POST", "parcels", json={"parcel": {**parcel, "email": ""}})
    )
    assert answer.status == 400
    assert answer.json()["error"]["message"] == "email: This field may not be blank."
    assert server.created == []


FAILED_PARCELS = {
    "failed_parcels": [
        {"parcel": {"id": 5}, "errors": {"house_number": ["This field may not be blank."]}}
    ]
}


@pytest.mark.parametrize(
    ("body", "code", "unknown", "text"),
    [
        (b"", "UNREADABLE", True, "may have"),
        (b"null", "UNREADABLE", True, "may have"),
        (b"[]", "UNREADABLE", True, "may have"),
        (b'{"parcel": {"name": "Camille"}}', "UNREADABLE", True, "may have"),
        (b'{"parcel": {"id": 7', "UNREADABLE", True, "may have"),
        (
            b'{"error": {"code": 412, "message": "country: Invalid country FR."}}',
            "412/country",
            False,
            "Invalid country FR",
        ),
        (b'{"error": "Parcel creation is disabled"}', "200", False, "creation is disabled"),
        (json.dumps(FAILED_PARCELS).encode(), "200/house_number", False, "may not be blank"),
        (b'{"failed_parcels": [1, "x", {"errors": []}]}', "200", False, "refused"),
    ],
    ids=[
        "empty",
        "null",
        "list",
        "no-id",
        "truncated",
        "error",
        "error-text",
        "failed-parcels",
        "failed-odd",
    ],
)
def test_a_200_answer_without_a_parcel_is_a_clear_error(body, code, unknown, text):
    client = carrier.SendcloudConnector(public_key="p", secret_key="s", endpoint="")
    created = connector.HttpResponse(200, {}, body, 0.0)
    with pytest.raises(connector.CarrierError) as error:
        client.parse_shipment(paris_request(), (created, None, None))
    assert (error.value.code, error.value.outcome_unknown) == (code, unknown)
    assert text in error.value.message


@pytest.mark.parametrize(
    "body",
    [b"", b"<html>Bad Gateway</html>", None, b'{"parcel": null}'],
    ids=["empty", "html", "truncated", "no-parcel"],
)
def test_an_unreadable_answer_to_a_creation_is_looked_up_not_sent_twice(server, body):
    client = make_connector(server)
    server.script(fake.Garble(body), path=r"/parcels$")
    with pytest.raises(connector.CarrierError) as error:
        client.ship(paris_request(), "OMNI-SHP-0015")
    assert error.value.outcome_unknown and error.value.retryable
    assert not server.requests_to("/labels/"), "no label asked for an unreadable answer"
    found = client.lookup("OMNI-SHP-0015")
    assert found.tracking_number == server.created[0]["tracking_number"]
    assert len(server.created) == 1


def test_rate_limit_and_outages_are_retried_without_duplicates(server):
    server.script(fake.Fail(429, retry_after=0), path=r"/parcels$")
    client = make_connector(server)
    result = client.ship(paris_request(), "OMNI-SHP-0006")
    assert result.tracking_number
    assert len(server.created) == 1
    # A creation that may have happened is not resent blindly...
    server.script(fake.Fail(503), path=r"/parcels$")
    with pytest.raises(connector.CarrierUnavailable) as error:
        client.ship(paris_request(), "OMNI-SHP-0007")
    assert error.value.outcome_unknown
    assert len(server.requests_to(r"/parcels$", "POST")) == 3


def test_timeout_then_lookup_finds_the_parcel_instead_of_creating_another(server):
    server.script(fake.Hang(1.0, after=True), path=r"/parcels$")
    client = make_connector(server, timeout=0.3)
    with pytest.raises(connector.CarrierTimeout) as error:
        client.ship(paris_request(), "OMNI-SHP-0008")
    assert error.value.outcome_unknown
    time.sleep(0.8)
    found = make_connector(server).lookup("OMNI-SHP-0008")
    assert found.tracking_number == server.created[0]["tracking_number"]
    assert found.label.startswith(b"%PDF-")
    assert make_connector(server).lookup("OMNI-SHP-UNKNOWN") is None
    # Sendcloud itself refuses a second parcel with the same reference.
    with pytest.raises(connector.CarrierError) as duplicate:
        make_connector(server).ship(paris_request(), "OMNI-SHP-0008")
    assert duplicate.value.code == "400/external_reference"
    assert len(server.created) == 1


def test_cancel_and_cancel_again(server):
    client = make_connector(server)
    result = client.ship(paris_request(), "OMNI-SHP-0009")
    assert client.cancel(result) is True
    with pytest.raises(connector.CarrierError) as error:
        client.cancel(result)
    assert "already been cancelled" in error.value.message
    with pytest.raises(connector.CarrierError) as missing:
        client.cancel(connector.ShipmentResult("999", "X"))
    assert missing.value.code == "404"


def test_tracking_maps_parent_statuses_and_skips_unknown_parcels(server):
    client = make_connector(server)
    result = client.ship(paris_request(), "OMNI-SHP-0010")
    server.add_status(result.tracking_number, "shipment-on-route", "Sorted at hub")
    server.add_status(result.tracking_number, "delivered", "Delivered")
    events = client.track([result.tracking_number, "3SOMNI999999999"])
    assert [event.stage for event in events] == [
        "delivered",
        "in_transit",
        "label_created",
        "label_created",
    ]
    assert len({event.uid for event in events}) == 4


def test_webhook_signature_and_parsing(server):
    client = make_connector(server)
    result = client.ship(paris_request(), "OMNI-SHP-0011")
    body, headers = server.webhook(result.tracking_number, 11, "Delivered", SECRET_KEY)
    assert client.verify_webhook(headers, body, SECRET_KEY)
    assert not client.verify_webhook(headers, body + b" ", SECRET_KEY)
    assert not client.verify_webhook({}, body, SECRET_KEY)
    (event,) = client.parse_webhook(headers, body)
    assert (event.stage, event.tracking_number, event.code) == (
        "delivered",
        result.tracking_number,
        "11",
    )
    with pytest.raises(connector.CarrierError):
        client.parse_webhook(headers, b"{not json")


def webhook_body(**changes):
    """A ``parcel_status_changed`` body, ``changes`` applied by dotted path."""
    data = {
        "action": "parcel_status_changed",
        "timestamp": 1772450000000,
        "parcel": {
            "id": 1,
            "tracking_number": "3SOMNI000000001",
            "status": {"id": 11, "message": "Delivered"},
        },
    }
    for path, value in changes.items():
        *parents, name = path.split("__")
        node = data
        for parent in parents:
            node = node[parent]
        node[name] = value
    return json.dumps(data).encode()


DEEP = b'{"action": "parcel_status_changed", "parcel": ' + b"[" * 100000 + b"]" * 100000 + b"}"


MALFORMED_WEBHOOKS = {
    "list": b"[]",
    "text": b'"parcel_status_changed"',
    "number": b"42",
    "not-utf8": b"\xff\xfe{",
    "deeply-nested": DEEP,
    "timestamp-text": webhook_body(timestamp="soon"),
    "timestamp-boolean": webhook_body(timestamp=True),
    "timestamp-too-late": webhook_body(timestamp=10**20),
    "timestamp-too-early": webhook_body(timestamp=-(10**20)),
    "timestamp-huge": webhook_body(timestamp=10**1000),
    "parcel-list": webhook_body(parcel=[1]),
    "status-text": webhook_body(parcel__status="delivered"),
    "status-id-text": webhook_body(parcel__status__id="11"),
    "status-id-null": webhook_body(parcel__status__id=None),
    "tracking-number": webhook_body(parcel__tracking_number=42),
    "parcel-id-object": webhook_body(parcel__id={"id": 1}),
    "message-list": webhook_body(parcel__status__message=["Delivered"]),
    "action-list": webhook_body(action=["parcel_status_changed"]),
}


@pytest.mark.parametrize("body", MALFORMED_WEBHOOKS.values(), ids=MALFORMED_WEBHOOKS.keys())
def test_malformed_webhooks_are_carrier_errors(body):
    client = carrier.SendcloudConnector(public_key="p", secret_key="s", endpoint="")
    (event,) = client.parse_webhook({}, webhook_body())
    assert (event.stage, event.date.year) == ("delivered", 2026)
    with pytest.raises(connector.CarrierError) as error:
        client.parse_webhook({}, body)
    assert error.value.code == "WEBHOOK"
    assert len(str(error.value)) < 200, "the value at fault is named, not copied"


def test_service_points_as_odoo_pickup_locations(server):
    points = make_connector(server, service_point_carrier="mondial_relay").service_points(
        "FR", "75011"
    )
    assert [point["id"] for point in points] == ["10875349", "10875350"]
    assert points[0]["zip_code"] == "75011"
    assert points[0]["opening_hours"]["0"] == ["09:00 - 12:30", "14:00 - 19:00"]
    assert server.requests[0].query["access_token"] == PUBLIC_KEY
    with pytest.raises(connector.CarrierError) as error:
        make_connector(server, public_key="unknown").service_points("FR", "75011")
    assert error.value.code == "401"


def test_secret_key_never_reaches_the_logs(server):
    client = make_connector(server)
    client.ship(paris_request(), "OMNI-SHP-0012")
    log = client.exchange_log()
    assert SECRET_KEY not in log
    assert "Authorization: ***" in log or "Authorization" not in log


def test_rate_limit_budget_answers_an_empty_429(server):
    server.rate_limit = 2
    client = make_connector(server)
    client.rate(paris_request())
    client.rate(paris_request())
    with pytest.raises(connector.CarrierUnavailable) as error:
        client.rate(paris_request())
    assert error.value.status == 429
    assert error.value.retryable and not error.value.outcome_unknown
    time.sleep(1.0)
    assert client.rate(paris_request()).price == 8.95
