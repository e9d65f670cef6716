"""Chronopost's connector without Odoo: requests the published schemas accept, in the
shape of the carrier's recorded exchanges; answers shaped like the carrier's parsed
(faults and error codes included); calls that never create a skybill twice."""

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
import requests
from lxml import etree
from omni_cli.carrier_specs import carrier_specs
from omni_cli.engines import load_engine

connector = load_engine("omni_tms", "connector")
fake = load_engine("omni_tms", "tests/fake_servers")
carrier = load_engine("omni_tms_chronopost", "connector")
carrier_fake = load_engine("omni_tms_chronopost", "tests/fake_servers")
chronopost = carrier.chronopost

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REFERENCE = carrier_specs("chronopost")
ACCOUNT, PASSWORD = "19869502", "255562"
FAST_RETRY = connector.RetryPolicy(retries=2, backoff=0.01, max_backoff=0.05)


@pytest.fixture
def server():
    with carrier_fake.ChronopostServer(accounts={ACCOUNT: PASSWORD}) as running:
        yield running


def make_connector(server_or_url, **kwargs):
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("account_number", ACCOUNT)
    kwargs.setdefault("password", PASSWORD)
    url = getattr(server_or_url, "url", server_or_url)
    return carrier.ChronopostConnector(endpoint=url, **kwargs)


def home_request(**changes):
    address = connector.Address
    request = connector.Shipment(
        reference="WH/OUT/00042",
        sender=address(
            "Omni DC",
            "8 Rue du Dauphiné",
            zip="69800",
            city="Saint-Priest",
            country_code="FR",
            country_name="France",
            phone="+33 4 72 00 00 00",
        ),
        recipient=address(
            "Camille Martin",
            "12 Rue Oberkampf",
            zip="75011",
            city="Paris",
            country_code="FR",
            country_name="France",
            phone="06 12 34 56 78",
            email="camille@example.com",
        ),
        parcels=(connector.Parcel(weight=1.2, length=30, width=20, height=10),),
    )
    return dataclasses.replace(request, **changes)


def operation_element(body):
    return etree.fromstring(body).xpath("//*[local-name()='Body']/*")[0]


def names(element):
    return [etree.QName(child).localname for child in element]


def reference_document(*parts):
    path = REFERENCE.joinpath(*parts)
    assert path.exists(), f"the carrier's reference document {path} is missing"
    return path


def published_schema(name):
    """The XML schema embedded in one of the carrier's published WSDL."""
    return fake.wsdl_schema(reference_document("wsdl", name))[0]


def recorded(example, suffix):
    return next(reference_document("examples", example).glob(f"*_{suffix}"))


def group(element, name):
    """The children of ``element`` named ``name``."""
    return [child for child in element if etree.QName(child).localname == name]


def replay(*paths, status=200):
    return fake.ReplayServer(*(path.read_bytes() for path in paths), status=status)


# Conformance with the carrier's published documents ----------------------------------


@pytest.mark.conformance
def test_shipment_request_has_the_recorded_shape_and_validates_against_the_schema(server):
    """Same parameters, in the same order, as the carrier's recorded shipment of one
    parcel; each group in the published element order."""
    make_connector(server).ship(home_request(), "SHP/2026/000001")
    sent = operation_element(server.requests[0].body)
    schema = published_schema("ShippingServiceWSDL.xml")
    assert schema.validate(sent), schema.error_log
    reference = operation_element(recorded("1parcel", "req_shipping.xml").read_bytes())
    assert names(sent) == names(reference)
    for ours, theirs in zip(sent, reference, strict=True):
        common = [name for name in names(theirs) if name in names(ours)]
        assert [name for name in names(ours) if name in common] == common, ours.tag
    skybill = next(child for child in sent if etree.QName(child).localname == "skybillValue")
    assert {"evtCode", "objectType", "productCode", "weight", "weightUnit"} <= set(names(skybill))
    labels = operation_element(server.requests[1].body)
    assert schema.validate(labels), schema.error_log
    recorded_labels = operation_element(recorded("1parcel", "req_getlabels_PDF.xml").read_bytes())
    assert names(labels) == names(recorded_labels)


@pytest.mark.conformance
def test_shipment_request_carries_every_element_the_recorded_requests_carry(server):
    """Civility, country name, second name, recipient type...: what every recorded
    request of the carrier sends, ours sends too, with the values recorded."""
    make_connector(server).ship(home_request(), "SHP/2026/000006")
    sent = operation_element(server.requests[0].body)
    requests = [
        operation_element(path.read_bytes())
        for path in reference_document("examples").glob("*/*_req_shipping.xml")
    ]
    for name in ("shipperValue", "customerValue", "recipientValue"):
        always = set.intersection(
            *(set(names(value)) for request in requests for value in group(request, name))
        )
        for value in group(sent, name):
            assert always <= set(names(value)), (name, always - set(names(value)))
    (shipper,), (customer,) = group(sent, "shipperValue"), group(sent, "customerValue")
    (recipient,) = group(sent, "recipientValue")
    assert shipper.findtext("shipperCivility") in ("E", "L", "M")
    assert customer.findtext("customerCivility") in ("E", "L", "M")
    assert recipient.findtext("recipientType") == "1"
    assert recipient.findtext("recipientCountryName") == "FRANCE"
    assert shipper.findtext("shipperCountryName") == "FRANCE"


@pytest.mark.conformance
def test_two_parcels_repeat_each_group_as_recorded(server):
    request = home_request(parcels=(connector.Parcel(weight=1.01), connector.Parcel(weight=1)))
    make_connector(server).ship(request, "SHP/2026/000002")
    sent = operation_element(server.requests[0].body)
    reference = operation_element(recorded("2parcels", "req_shipping.xml").read_bytes())
    assert names(sent) == names(reference)
    assert sent.findtext("numberOfParcel") == reference.findtext("numberOfParcel") == "2"


@pytest.mark.conformance
def test_return_cancel_tracking_and_rate_requests_validate_against_the_schemas(server):
    client = make_connector(server)
    client.rate(home_request())
    shipment = client.ship(home_request(), "SHP/2026/000003")
    client.create_return(home_request(), "SHP/2026/000004", shipment.tracking_number)
    client.track([shipment.tracking_number])
    client.lookup("SHP/2026/000003")
    client.cancel(shipment)
    schemas = {
        "/quickcost-cxf/QuickcostServiceWS": published_schema("QuickcostServiceWS.xml"),
        "/shipping-cxf/ShippingServiceWS": published_schema("ShippingServiceWSDL.xml"),
        "/tracking-cxf/TrackingServiceWS": published_schema("TrackingServiceWS.xml"),
    }
    for request in server.requests:
        schema = schemas[request.path]
        assert schema.validate(operation_element(request.body)), schema.error_log
    cancel = operation_element(server.requests[-1].body)
    reference = operation_element(recorded("cancel", "req_cancelSkybill.xml").read_bytes())
    assert names(cancel) == names(reference)


@pytest.mark.conformance
def test_recorded_answers_parse():
    """The carrier's recorded shipment, label (PDF and ZPL) and cancellation answers."""
    shipping = recorded("2ways", "resp_shipping.xml")
    with replay(shipping, recorded("2ways", "resp_getlabels_PDF.xml")) as server:
        result = make_connector(server).ship(home_request(), "SHP/2026/000005")
    assert result.tracking_number == "XP503244178FR,XP503244181FR"
    assert result.carrier_reference == "053388805032441787082"
    assert result.label.startswith(b"%PDF")
    with replay(shipping, recorded("2ways", "resp_getlabels_Z2D.xml")) as server:
        result = make_connector(server, label_format="zpl").ship(home_request(), "SHP/2026/6")
    assert result.label_format == "zpl" and result.label.startswith(b"^XA")
    with (
        replay(recorded("cancel", "resp_cancelSkybill.xml")) as server,
        pytest.raises(connector.CarrierError) as error,
    ):
        make_connector(server).cancel(result)
    assert error.value.code == "2"
    assert "doesn't match account" in error.value.message


# Answers shaped like the carrier's ------------------------------------------------------


def test_shipment_answer_gives_every_skybill_and_the_label():
    with replay(FIXTURES / "shipping_response.xml", FIXTURES / "label_response.xml") as server:
        result = make_connector(server).ship(home_request(), "SHP/2026/000010")
    assert result.tracking_number == "XP700112233FR,XP700112234FR"
    assert result.carrier_reference == "120788805070011223344"
    assert result.label.startswith(b"%PDF")
    assert result.tracking_url.endswith("listeNumerosLT=XP700112233FR")
    sent = operation_element(server.requests[1].body)
    assert sent.findtext("reservationNumber") == "120788805070011223344"


def test_error_code_names_the_code_and_what_to_fix():
    with (
        replay(FIXTURES / "shipping_error_response.xml") as server,
        pytest.raises(connector.CarrierError) as error,
    ):
        make_connector(server).ship(home_request(), "SHP/2026/000011")
    assert error.value.code == "33"
    assert not error.value.retryable
    assert "recipientZipCode" in str(error.value)
    assert "check the address" in str(error.value)


def test_soap_fault_is_an_error_not_retried():
    with (
        replay(FIXTURES / "fault_response.xml", status=500) as server,
        pytest.raises(connector.CarrierError) as error,
    ):
        make_connector(server).ship(home_request(), "SHP/2026/000012")
    assert error.value.code == "soap:Client"
    assert "Unmarshalling Error" in error.value.message
    assert len(server.requests) == 1


def test_tracking_answer_gives_events_in_utc_with_normalised_stages():
    with replay(FIXTURES / "tracking_response.xml") as server:
        events = make_connector(server).track(["XP700112233FR"])
    assert [event.stage for event in events] == ["label_created", "picked_up", "delivered"]
    assert events[0].date == datetime(2026, 3, 2, 16, 12)
    assert events[2].location == "75011 Agence Chronopost Paris 11"
    assert len({event.uid for event in events}) == 3


def test_relay_points_parse_with_opening_hours_and_skip_closed_points():
    with replay(FIXTURES / "relay_search_response.xml") as server:
        client = make_connector(server)
        points = client.parse_relay_points(client.request_relay_points("FR", "75011"))
    assert [point["id"] for point in points] == ["2341J"]
    point = points[0]
    assert point["street"] == "12 RUE OBERKAMPF GALERIE MARCHANDE"
    assert (point["latitude"], point["longitude"], point["distance"]) == (48.8645, 2.3712, 240)
    assert point["opening_hours"]["0"] == ["09:30 - 12:30", "14:00 - 19:30"]
    assert point["opening_hours"]["6"] == []


# Against the fake web services ----------------------------------------------------------


def test_rate_from_quick_cost(server):
    rate = make_connector(server).rate(home_request())
    assert (rate.price, rate.currency) == (14.08, "EUR")
    sent = operation_element(server.requests[0].body)
    assert [sent.findtext(name) for name in ("depCode", "arrCode", "weight", "type")] == [
        "69800",
        "75011",
        "1.2",
        "M",
    ]
    abroad = home_request(
        recipient=connector.Address("Giulia Rossi", "Via Dante 4", zip="20121", country_code="IT")
    )
    make_connector(server, product_code="44").rate(abroad)
    assert operation_element(server.requests[1].body).findtext("arrCode") == "IT"


def test_skybills_are_created_with_their_labels(server):
    request = home_request(parcels=(connector.Parcel(weight=1), connector.Parcel(weight=2.5)))
    result = make_connector(server).ship(request, "SHP/2026/000020")
    skybills = result.tracking_number.split(",")
    assert len(skybills) == 2 and all(server.skybills[number] for number in skybills)
    assert {server.skybills[number]["reference"] for number in skybills} == {"SHP/2026/000020"}
    assert result.label.startswith(b"%PDF")
    assert skybills[1].encode() in result.label


@pytest.mark.parametrize(
    ("changes", "code", "hint"),
    [
        ({"zip": "00100"}, "38", "check the postcode"),
        ({"street": ""}, "31", "required field is empty"),
        ({"email": "camille@"}, "33", "check the address"),
    ],
)
def test_carrier_refusals_name_the_code_and_the_fix(server, changes, code, hint):
    recipient = dataclasses.replace(home_request().recipient, **changes)
    with pytest.raises(connector.CarrierError) as error:
        make_connector(server).ship(home_request(recipient=recipient), "SHP/2026/000021")
    assert error.value.code == code
    assert hint in str(error.value)
    assert not server.skybills


def test_a_long_street_is_cut_at_a_space_into_two_lines():
    params = make_connector("http://127.0.0.1:9").shipment_params(
        home_request(
            recipient=connector.Address(
                "Zoé Lefèvre",
                "Résidence Les Tilleuls, 14 Avenue du Général Leclerc",
                zip="75014",
                city="Paris",
                country_code="FR",
            )
        ),
        "SHP/2026/000022",
    )
    recipient = params["recipientValue"][0]
    assert recipient["recipientAdress1"] == "Residence Les Tilleuls, 14 Avenue du"
    assert recipient["recipientAdress2"] == "General Leclerc"
    assert recipient["recipientName"] == "Zoe Lefevre"


def test_values_over_the_field_lengths_are_cut_between_words(server):
    recipient = dataclasses.replace(
        home_request().recipient,
        name="Etablissements Lefevre " + "et Fils " * 12,
        street="Residence Les Tilleuls, 14 Avenue du General Leclerc",
        street2="Batiment B, escalier 3, quatrieme etage gauche",
        city="Saint-Didier-au-Mont-d'Or " * 3,
    )
    result = make_connector(server).ship(home_request(recipient=recipient), "SHP/2026/000032")
    created = server.skybills[result.tracking_number]["recipient"]
    assert created["recipientAdress1"] == "Residence Les Tilleuls, 14 Avenue du"
    assert created["recipientAdress2"] == "General Leclerc Batiment B, escalier"
    assert created["recipientName"] + " " + created["recipientName2"] == " ".join(
        recipient.name.split()
    )
    assert created["recipientCity"] == "Saint-Didier-au-Mont-d'Or Saint-Didier-au-"
    for field, length in (("Adress1", 38), ("Adress2", 38), ("Name", 100), ("City", 50)):
        assert len(created[f"recipient{field}"]) <= length, field


def test_the_fake_refuses_values_over_the_field_lengths(server):
    params = make_connector(server).shipment_params(home_request(), "SHP/2026/000033")
    shipper, recipient = params["shipperValue"][0], params["recipientValue"][0]
    values = {**params, "numberOfParcel": "1"}
    skybills = [{**params["skybillValue"][0], "weight": "1.2"}]
    for field, length in (("Adress1", 38), ("Adress2", 38), ("Name2", 100), ("City", 50)):
        long = {**recipient, f"recipient{field}": "A" * (length + 1)}
        code = server.check_shipment(values, [shipper], [long], params["refValue"], skybills)
        assert code == (32, f"recipient{field} is longer than {length} characters")
    odd = {**shipper, "shipperCivility": "X"}
    code = server.check_shipment(values, [odd], [recipient], params["refValue"], skybills)
    assert code == (33, "shipperCivility is invalid")


def test_a_relay_product_needs_the_relay_point_before_any_call(server):
    client = make_connector(server, product_code="86")
    with pytest.raises(connector.CarrierError) as error:
        client.ship(home_request(), "SHP/2026/000023")
    assert "choose the relay point" in str(error.value)
    assert not server.requests
    client.ship(home_request(pickup_point="69001"), "SHP/2026/000024")
    ref = operation_element(server.requests[0].body).find("refValue")
    assert ref.findtext("idRelais") == "69001"


def test_bad_credentials_and_the_password_never_reaches_the_logs(server, caplog):
    client = make_connector(server, password="Wr0ngPass")
    with pytest.raises(connector.CarrierError) as error:
        client.ship(home_request(), "SHP/2026/000025")
    assert error.value.code == "30"
    assert "Wr0ngPass" not in client.exchange_log()
    assert "Wr0ngPass" not in caplog.text
    with pytest.raises(connector.CarrierError) as error:
        client.rate(home_request())
    assert error.value.code == "2"


def test_a_creation_without_answer_is_found_by_reference_not_sent_twice(server):
    client = make_connector(server, timeout=0.4, retry=connector.NO_RETRY)
    server.script(fake.Hang(1.0, after=True), path="/shipping-cxf/")
    with pytest.raises(connector.CarrierError) as error:
        client.ship(home_request(), "SHP/2026/000026")
    assert error.value.outcome_unknown
    assert len(server.skybills) == 1
    found = make_connector(server).lookup("SHP/2026/000026")
    assert found.tracking_number == next(iter(server.skybills))
    assert make_connector(server).lookup("SHP/2026/000099") is None


EMPTY_RETURN = (
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<ns1:shippingMultiParcelV4Response xmlns:ns1="http://cxf.shipping.soap.chronopost.fr/">'
    b"<return/></ns1:shippingMultiParcelV4Response></soap:Body></soap:Envelope>"
)


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body>Proxy Error</body></html>", None, b"\x00\xff", EMPTY_RETURN],
    ids=["empty", "html", "truncated", "binary", "no-error-code"],
)
def test_an_unreadable_answer_to_a_creation_is_looked_up_not_sent_twice(server, body):
    client = make_connector(server)
    server.script(fake.Garble(body), path="/shipping-cxf/")
    with pytest.raises(connector.CarrierError) as error:
        client.ship(home_request(), "SHP/2026/000034")
    assert error.value.outcome_unknown and error.value.retryable
    assert len(server.requests_to("/shipping-cxf/")) == 1, "no label asked, nothing resent"
    found = client.lookup("SHP/2026/000034")
    assert found.tracking_number == next(iter(server.skybills))
    assert len(server.skybills) == 1


def test_secrets_are_masked_in_error_texts_even_when_the_answer_echoes_the_request(server, caplog):
    caplog.set_level("DEBUG")
    client = make_connector(server)
    fault = (
        "<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'><soap:Body>"
        "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Invalid request: {}"
        "</faultstring></soap:Fault></soap:Body></soap:Envelope>"
    )
    for answer in (
        fake.Garble(lambda request: b"<html><pre>" + request.body + b"</pre>"),
        fake.Garble(
            lambda request: fault.format(request.body.decode().replace("<", "&lt;")).encode(),
            status=500,
        ),
    ):
        server.script(answer, path="/shipping-cxf/")
        with pytest.raises(connector.CarrierError) as error:
            client.ship(home_request(), "SHP/2026/000035")
        assert PASSWORD.encode() in server.requests[-1].body
        assert PASSWORD not in str(error.value)
    assert PASSWORD not in caplog.text + client.exchange_log()


def test_a_system_error_is_retryable_and_a_rate_limit_is_retried(server):
    client = make_connector(server)
    server.fail_next(29)
    with pytest.raises(connector.CarrierError) as error:
        client.ship(home_request(), "SHP/2026/000027")
    assert (error.value.code, error.value.retryable) == ("29", True)
    server.script(fake.Fail(429, retry_after=0), path="/shipping-cxf/")
    assert client.ship(home_request(), "SHP/2026/000027").tracking_number
    assert len(server.skybills) == 1


def test_a_label_download_that_fails_leaves_the_skybill_and_can_be_fetched_again(server):
    client = make_connector(server)
    server.script(None, fake.Fail(503), fake.Fail(503), fake.Fail(503), path="/shipping-cxf/")
    result = client.ship(home_request(), "SHP/2026/000028")
    assert result.tracking_number and not result.label
    assert client.parse_label(client.request_label(result.carrier_reference)).startswith(b"%PDF")
    with pytest.raises(connector.CarrierError) as error:
        client.parse_label(client.request_label("999"))
    assert error.value.code == "36"


def test_tracking_follows_the_parcel_life_and_cancel_stops_at_pickup(server):
    client = make_connector(server)
    first = client.ship(home_request(), "SHP/2026/000029")
    assert client.cancel(first) is True
    assert first.tracking_number not in server.skybills
    second = client.ship(home_request(), "SHP/2026/000030")
    server.set_events(
        second.tracking_number,
        [
            (datetime(2026, 3, 2, 17, 0), "DC", "Préparation"),
            (datetime(2026, 3, 2, 19, 0), "PC", "Pris en charge"),
        ],
    )
    events = client.track([second.tracking_number])
    assert [event.stage for event in events] == ["label_created", "picked_up"]
    with pytest.raises(connector.CarrierError) as error:
        client.cancel(second)
    assert error.value.code == "3"
    assert "already handed over" in str(error.value)


def test_relay_points_search(server):
    client = make_connector(server)
    points = client.parse_relay_points(client.request_relay_points("FR", "69003", count=3))
    assert len(points) == 3
    assert points[0]["distance"] < points[1]["distance"]
    with pytest.raises(connector.CarrierError) as error:
        client.parse_relay_points(client.request_relay_points("FR", "6900"))
    assert error.value.code == "5"


def test_schema_violations_are_soap_faults(server):
    body = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<ns1:quickCost xmlns:ns1="http://cxf.quickcost.soap.chronopost.fr/">'
        "<weight>1</weight><accountNumber>1</accountNumber></ns1:quickCost>"
        "</soap:Body></soap:Envelope>"
    )
    response = requests.post(
        f"{server.url}/quickcost-cxf/QuickcostServiceWS", data=body.encode(), timeout=2
    )
    assert response.status_code == 500
    assert b"Unmarshalling Error" in response.content
    wrong_service = requests.post(
        f"{server.url}/shipping-cxf/ShippingServiceWS", data=body.encode(), timeout=2
    )
    assert wrong_service.status_code == 500
    assert b"Unexpected wrapper element" in wrong_service.content
