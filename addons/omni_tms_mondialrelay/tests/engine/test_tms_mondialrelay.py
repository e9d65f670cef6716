"""Mondial Relay's connector without Odoo: signed requests the published schema
accepts, answers shaped like the carrier's parsed (faults and STAT codes included),
and calls that never create an expedition twice."""

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree
from omni_cli.carrier_specs import carrier_specs
from omni_cli.engines import load_engine

connector = load_engine("omni_tms", "connector")
fake = load_engine("omni_tms", "tests/fake_servers")
carrier = load_engine("omni_tms_mondialrelay", "connector")
carrier_fake = load_engine("omni_tms_mondialrelay", "tests/fake_servers")
mondialrelay = carrier.mondialrelay

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REFERENCE = carrier_specs("mondialrelay")
BRAND, KEY = "BDTEST13", "TestAPI1key"
FAST_RETRY = connector.RetryPolicy(retries=2, backoff=0.01, max_backoff=0.05)
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


@pytest.fixture
def server():
    with carrier_fake.MondialRelayServer(accounts={BRAND: KEY}) as running:
        yield running


def make_connector(server, **kwargs):
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("timeout", 2.0)
    kwargs.setdefault("brand", BRAND)
    kwargs.setdefault("private_key", KEY)
    return carrier.MondialRelayConnector(endpoint=server.endpoint, **kwargs)


def home_request(**changes):
    address = connector.Address
    request = connector.Shipment(
        reference="SHP/2026/000042",
        sender=address(
            "Omni DC",
            "8 Rue du Dauphiné",
            zip="69800",
            city="Saint-Priest",
            country_code="FR",
            phone="+33 4 72 00 00 00",
        ),
        recipient=address(
            "Camille Martin",
            "12 Rue Oberkampf",
            zip="75011",
            city="Paris",
            country_code="FR",
            phone="06 12 34 56 78",
            email="camille@example.com",
        ),
        parcels=(connector.Parcel(weight=1.2),),
    )
    return dataclasses.replace(request, **changes)


def operation_element(body):
    return etree.fromstring(body).find(f"{{{SOAP_ENV}}}Body")[0]


def parameters(element):
    return [(etree.QName(child).localname, child.text or "") for child in element]


def reference_document(name):
    path = REFERENCE / name
    assert path.exists(), f"the carrier's reference document {path} is missing"
    return path


def published_schema():
    """The XML schema embedded in the carrier's published WSDL."""
    return fake.wsdl_schema(reference_document("Web_Services.wsdl"))[0]


def replay(name, status=200):
    return fake.ReplayServer((FIXTURES / name).read_bytes(), status=status)


# Requests ------------------------------------------------------------------------


@pytest.mark.conformance
def test_security_key_is_the_one_the_carrier_computed_for_recorded_requests():
    for name in ("label_1_request.xml", "label_return_1_request.xml"):
        element = operation_element(reference_document(name).read_bytes())
        params = dict(parameters(element))
        expected = params["Security"]
        assert mondialrelay.security_key(etree.QName(element).localname, params, KEY) == expected
    for name in ("pickup_site_1_request.xml", "get_pickup_site_1_request.xml"):
        element = operation_element(reference_document(name).read_bytes())
        params = dict(parameters(element))
        assert (
            mondialrelay.security_key("WSI4_PointRelais_Recherche", params, KEY)
            == (params["Security"])
        )


def test_security_key_follows_element_order_and_skips_empty_values():
    params = {"Pays": "FR", "Enseigne": BRAND, "CP": "69100", "Ville": "", "NombreResultats": None}
    # Same values given in another order: the WSDL's order decides.
    assert mondialrelay.security_key("WSI4_PointRelais_Recherche", params, KEY) == (
        "B92B23556C301E4A5D56F79566107A48"
    )


@pytest.mark.conformance
def test_label_request_has_the_recorded_shape_and_validates_against_the_schema(server):
    """The request for the recorded shipment carries the same parameters in the same
    order as the carrier's recorded exchange, plus our file number."""
    recorded = operation_element(reference_document("label_1_request.xml").read_bytes())
    address = connector.Address
    request = connector.Shipment(
        reference="SHP/2026/000001",
        sender=address(
            "Akretion",
            "27 rue Henri Rolland",
            "Batiment B",
            zip="69100",
            city="Villeurbanne",
            country_code="FR",
            phone="+33482538457",
        ),
        recipient=address(
            "Hugo",
            "6 Place des Vosges",
            zip="75004",
            city="Paris",
            country_code="FR",
            phone="+33600000000",
            email="hugo.victor@example.com",
        ),
        parcels=(connector.Parcel(weight=1.2),),
    )
    make_connector(server).ship(request, "SHP/2026/000001")
    sent = operation_element(server.requests[0].body)
    assert published_schema().validate(sent), published_schema().error_log
    ours = [item for item in parameters(sent) if item[0] not in ("NDossier", "Security")]
    theirs = [item for item in parameters(recorded) if item[0] != "Security"]
    assert ours == theirs
    assert dict(parameters(sent))["NDossier"] == "SHP-2026-000001"
    assert server.requests[0].header("SOAPAction") == (
        '"http://www.mondialrelay.fr/webservice/WSI2_CreationEtiquette"'
    )


@pytest.mark.conformance
def test_relay_return_and_tracking_requests_validate_against_the_schema(server):
    client = make_connector(server)
    points = client.parse_relay_points(client.request_relay_points("FR", "69004"))
    client.ship(home_request(pickup_point=points[0]["id"]), "SHP/2026/000043")
    shipment = client.create_return(home_request(), "SHP/2026/000044", "")
    client.track([shipment.tracking_number])
    schema = published_schema()
    posts = server.requests_to("/Web_Services.asmx", "POST")
    assert len(posts) == 4
    for request in posts:
        element = operation_element(request.body)
        assert schema.validate(element), schema.error_log
    relay = dict(parameters(operation_element(posts[1].body)))
    assert (relay["ModeLiv"], relay["LIV_Rel"], relay["LIV_Rel_Pays"]) == (
        "24R",
        points[0]["id"],
        "FR",
    )
    back = dict(parameters(operation_element(posts[2].body)))
    assert (back["ModeCol"], back["ModeLiv"], back["COL_Rel"]) == ("REL", "LCC", "AUTO")


def test_addresses_lose_accents_and_signs_the_carrier_refuses():
    params = mondialrelay.MondialRelayConnector(brand=BRAND, private_key=KEY).label_params(
        home_request(
            recipient=connector.Address(
                "Zoé Lefèvre & Fils",
                "3 Allée Ménilmontant (bât. C)",
                zip="75020",
                city="Paris 20e",
                country_code="FR",
                phone="+33 (0)1 23 45 67 89",
            )
        ),
        "SHP/2026/000045",
    )
    assert params["Dest_Ad1"] == "Zoe Lefevre Fils"
    assert params["Dest_Ad3"] == "3 Allee Menilmontant bat. C"
    assert params["Dest_Ville"] == "Paris e"
    assert params["Dest_Tel1"] == "+330123456789"
    assert params["Poids"] == "1200"


def test_letters_outside_latin1_are_spelt_in_ascii():
    params = mondialrelay.MondialRelayConnector(brand=BRAND, private_key=KEY).label_params(
        home_request(
            sender=connector.Address(
                "Łukasz Żółć",
                "ulica Piotrkowska 12",
                zip="90-001",
                city="Łódź",
                country_code="PL",
                phone="+48 42 000 00 00",
            ),
            recipient=connector.Address(
                "Ελένη Παπαδοπούλου",
                "Οδός Ερμού 12",
                "улица Щукина 5",
                zip="10563",
                city="Αθήνα",
                country_code="GR",
            ),
        ),
        "SHP/2026/000061",
    )
    assert (params["Expe_Ad1"], params["Expe_Ville"]) == ("Lukasz Zolc", "Lodz")
    assert params["Dest_Ad1"] == "Eleni Papadopoulou"
    assert (params["Dest_Ad3"], params["Dest_Ad4"]) == ("Odos Ermou 12", "ulitsa Shchukina 5")
    assert params["Dest_Ville"] == "Athina"


def test_values_longer_than_the_published_formats_are_cut_between_words(server):
    name = "Etablissements Lefevre et Fils Reunis SAS"
    city = "Saint-Didier-au-Mont-d'Or les Hautes de Saone"
    street = "Residence Les Tilleuls, 14 Avenue du General Leclerc"
    recipient = connector.Address(
        name, street, "Batiment B", zip="69370", city=city, country_code="FR", phone="0612345678"
    )
    assert (len(name), len(city)) == (41, 45)
    result = make_connector(server).ship(home_request(recipient=recipient), "SHP/2026/000062")
    params = server.expeditions[result.tracking_number]["params"]
    assert (params["Dest_Ad1"], params["Dest_Ad2"]) == (
        "Etablissements Lefevre et Fils",
        "Reunis SAS",
    )
    assert params["Dest_Ad3"] == "Residence Les Tilleuls, 14"
    assert params["Dest_Ad4"] == "Avenue du General Leclerc"
    assert params["Dest_Ville"] == "Saint-Didier-au-Mont-d'Or"
    assert all(len(params[f"Dest_Ad{line}"]) <= 32 for line in range(1, 5))


def test_an_email_outside_iso_8859_1_is_sent_in_ascii_or_left_out(server):
    client = make_connector(server)
    for email, sent in (
        ("jan.kowalski@łódź.pl", "jan.kowalski@xn--d-uga0v4h.pl"),
        ("łukasz@example.pl", None),
        ("zoë@example.fr", None),
    ):
        recipient = dataclasses.replace(home_request().recipient, email=email)
        result = client.ship(home_request(recipient=recipient), "SHP/2026/000063")
        params = server.expeditions[result.tracking_number]["params"]
        assert params.get("Dest_Mail") == sent, email


def test_the_signature_refuses_what_it_cannot_encode():
    with pytest.raises(connector.CarrierError) as error:
        mondialrelay.security_key(
            "WSI2_TracingColisDetaille", {"Enseigne": BRAND, "Expedition": "5055485Ł"}, KEY
        )
    assert error.value.code == "Expedition"
    assert "ISO-8859-1" in str(error.value)


def test_the_fake_refuses_values_outside_the_published_formats(server):
    params = make_connector(server).label_params(home_request(), "SHP/2026/000064")
    assert server.check_label(params) is None
    for name, value, stat in (
        ("Dest_Ad1", "A" * 33, "30"),
        ("Dest_Ad2", "A" * 33, "31"),
        ("Dest_Ad3", "A" * 33, "33"),
        ("Dest_Ad4", "A" * 33, "34"),
        ("Dest_Ville", "A" * 27, "35"),
        ("Dest_Ville", "Lodz 1", "35"),
        ("Dest_Ad1", "Zoé", "30"),
        ("Dest_Mail", "zoë@example.fr", "39"),
        ("Dest_Mail", "a" * 60 + "@example.fr", "39"),
    ):
        assert server.check_label({**params, name: value}) == stat, (name, value)
    # A value the carrier cannot read as ISO-8859-1 is refused, never a crash.
    assert carrier_fake.mondialrelay.security_key([("Dest_Mail", "łukasz@example.pl")], KEY)


# Answers -------------------------------------------------------------------------


def test_label_answer_parses_and_the_label_url_is_resolved_on_the_label_host():
    with replay("label_response.xml") as server:
        client = carrier.MondialRelayConnector(
            brand=BRAND,
            private_key=KEY,
            endpoint=f"{server.url}/Web_Services.asmx",
            label_size="10x15",
            retry=connector.NO_RETRY,
        )
        result = client.ship(home_request(), "SHP/2026/000046")
    assert result.tracking_number == result.carrier_reference == "31415926"
    assert "exp=31415926" in result.tracking_url
    # The replayed label URL does not exist here: the expedition is kept all the same.
    assert result.label == b""
    label_request = server.requests[-1]
    assert label_request.method == "GET"
    assert label_request.path == "/ww2/PDF/StickerMaker2.aspx"
    assert label_request.query["format"] == "10x15"
    assert label_request.query["expedition"] == "31415926"


def test_stat_error_names_the_code_and_what_to_fix():
    with replay("label_error_response.xml") as server:
        client = carrier.MondialRelayConnector(
            brand=BRAND, private_key=KEY, endpoint=server.url, retry=connector.NO_RETRY
        )
        with pytest.raises(connector.CarrierError) as error:
            client.ship(home_request(), "SHP/2026/000047")
    assert error.value.code == "93"
    assert "STAT 93" in str(error.value) and "postcode" in str(error.value)
    assert not error.value.retryable
    assert len(server.requests) == 1, "no label is fetched for a refused expedition"


def test_soap_fault_is_an_error_not_retried():
    with replay("fault_response.xml", status=500) as server:
        client = carrier.MondialRelayConnector(
            brand=BRAND, private_key=KEY, endpoint=server.url, retry=FAST_RETRY
        )
        with pytest.raises(connector.CarrierError) as error:
            client.track(["31415926"])
    assert error.value.code == "soap:Client"
    assert "SOAPAction" in str(error.value)
    assert len(server.requests) == 1


def test_relay_points_parse_with_opening_hours_and_coordinates():
    with replay("relay_search_response.xml") as server:
        client = carrier.MondialRelayConnector(brand=BRAND, private_key=KEY, endpoint=server.url)
        points = client.parse_relay_points(client.request_relay_points("FR", "69004"))
    assert [point["id"] for point in points] == ["012345", "067890"]
    first, locker = points
    assert first["name"] == "LIBRAIRIE DES CANUTS"
    assert first["street"] == "14 RUE DU CHARIOT D OR"
    assert (first["zip"], first["city"], first["country_code"]) == ("69004", "LYON", "FR")
    assert first["latitude"] == pytest.approx(45.77812)
    assert first["longitude"] == pytest.approx(4.82704)
    assert first["distance"] == 812
    assert first["opening_hours"]["0"] == ["09:00 - 12:30", "14:00 - 19:00"]
    assert first["opening_hours"]["5"] == ["09:30 - 13:00"]
    assert first["opening_hours"]["6"] == []
    assert locker["information"] == "LOCKER"
    assert locker["opening_hours"]["6"] == ["00:01 - 23:59"]


def test_tracking_answer_gives_events_in_utc_with_normalised_stages():
    with replay("tracing_response.xml") as server:
        client = carrier.MondialRelayConnector(brand=BRAND, private_key=KEY, endpoint=server.url)
        events = client.track(["31415926"])
    assert [event.stage for event in events] == [
        "label_created",
        "picked_up",
        "out_for_delivery",
        "delivered",
    ]
    # 02/03/26 10:15 in Paris (winter) and 05/07/26 17:31 (summer), in UTC.
    assert events[0].date == datetime(2026, 3, 2, 9, 15)
    assert events[-1].date == datetime(2026, 7, 5, 15, 31)
    assert events[2].location == "LYON" and events[2].extra == {"relay": "012345"}
    assert len({event.uid for event in events}) == 4
    assert all(event.tracking_number == "31415926" for event in events)


# Against the fake carrier ----------------------------------------------------------


def test_label_is_created_and_fetched_from_the_returned_url(server):
    result = make_connector(server).ship(home_request(), "SHP/2026/000048")
    assert result.label.startswith(b"%PDF")
    assert result.tracking_number in server.expeditions
    assert server.requests_to("/ww2/PDF/StickerMaker2.aspx", "GET")


@pytest.mark.parametrize(
    ("changes", "stat", "hint"),
    [
        (
            {
                "recipient": connector.Address(
                    "王小明", "1 Rue A", zip="75011", city="Paris", country_code="FR"
                )
            },
            "30",
            "32",
        ),
        (
            {
                "recipient": connector.Address(
                    "Camille", "7", zip="75011", city="Paris", country_code="FR"
                )
            },
            "33",
            "street",
        ),
        (
            {
                "recipient": connector.Address(
                    "Camille", "1 Rue A", zip="00100", city="Paris", country_code="FR"
                )
            },
            "93",
            "postcode",
        ),
        (
            {
                "sender": connector.Address(
                    "Omni DC", "8 Rue A", zip="69800", city="Lyon", country_code="FR"
                )
            },
            "38",
            "phone",
        ),
        ({"parcels": (connector.Parcel(weight=0.005),)}, "20", "weight"),
        ({"parcels": (connector.Parcel(weight=31),)}, "20", "weight"),
    ],
)
def test_carrier_refusals_name_the_stat_and_the_fix(server, changes, stat, hint):
    with pytest.raises(connector.CarrierError) as error:
        make_connector(server).ship(home_request(**changes), "SHP/2026/000049")
    assert error.value.code == stat
    assert hint in str(error.value)
    assert not server.expeditions


def test_a_long_street_without_second_line_is_cut_at_a_space():
    client = carrier.MondialRelayConnector(brand=BRAND, private_key=KEY)
    street = "Zone Industrielle des Grandes Terres 12 Allee des Erables"
    recipient = dataclasses.replace(home_request().recipient, street=street)
    params = client.label_params(home_request(recipient=recipient), "R")
    assert params["Dest_Ad3"] == "Zone Industrielle des Grandes"
    assert params["Dest_Ad4"] == "Terres 12 Allee des Erables"
    assert params["Dest_Ad3"] + " " + params["Dest_Ad4"] == street


def test_a_relay_carrier_needs_the_relay_point_before_any_call(server):
    client = make_connector(server, delivery_mode="24R")
    with pytest.raises(connector.CarrierError) as error:
        client.ship(home_request(), "SHP/2026/000059")
    assert error.value.code == "LIV_Rel" and not error.value.outcome_unknown
    assert not server.requests


def test_relay_delivery_rules(server):
    client = make_connector(server)
    with pytest.raises(connector.CarrierError) as error:
        client.ship(
            home_request(pickup_point="012345", parcels=(connector.Parcel(1), connector.Parcel(1))),
            "SHP/2026/000050",
        )
    assert error.value.code == "48"
    belgian = dataclasses.replace(home_request().recipient, zip="1000", country_code="BE")
    request = home_request(recipient=belgian, pickup_point="012345")
    params = client.label_params(request, "R")
    params["LIV_Rel_Pays"] = "FR"
    assert server.check_label(params) == "92"


def test_bad_credentials_and_unknown_brand(server):
    with pytest.raises(connector.CarrierError) as error:
        make_connector(server, private_key="WrongKey1").ship(home_request(), "SHP/2026/000051")
    assert error.value.code == "97" and "private key" in str(error.value)
    with pytest.raises(connector.CarrierError) as error:
        make_connector(server, brand="ZZTEST99").track(["50554859"])
    assert error.value.code == "2"


def test_the_private_key_never_travels_nor_reaches_the_logs(server, caplog):
    caplog.set_level("DEBUG")
    client = make_connector(server)
    client.ship(home_request(), "SHP/2026/000052")
    assert all(KEY.encode() not in request.body for request in server.requests)
    assert KEY not in caplog.text + client.exchange_log()


def test_a_creation_without_answer_is_not_sent_again(server):
    client = make_connector(server, timeout=0.5)
    server.script(fake.Hang(1.5, after=True), path="/Web_Services.asmx")
    with pytest.raises(connector.CarrierTimeout) as error:
        client.ship(home_request(), "SHP/2026/000053")
    assert error.value.outcome_unknown
    assert len(server.requests_to("/Web_Services.asmx")) == 1
    assert len(server.expeditions) == 1
    # No look-up by reference exists: a retry refuses until someone confirms.
    with pytest.raises(connector.CarrierError) as error:
        client.lookup("SHP/2026/000053")
    assert error.value.code == "OUTCOME_UNKNOWN" and "SHP-2026-000053" in str(error.value)
    assert make_connector(server, confirmed_not_created=True).lookup("SHP/2026/000053") is None


EMPTY_ENVELOPE = (
    b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
    b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body /></soap:Envelope>'
)


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body>Service Unavailable</body></html>", None, b"\x00\xff", EMPTY_ENVELOPE],
    ids=["empty", "html", "truncated", "binary", "no-result"],
)
def test_an_unreadable_answer_to_a_creation_is_not_sent_again(server, body):
    client = make_connector(server)
    server.script(fake.Garble(body), path="/Web_Services.asmx")
    with pytest.raises(connector.CarrierError) as error:
        client.ship(home_request(), "SHP/2026/000065")
    assert error.value.outcome_unknown and error.value.retryable
    assert len(server.requests_to("/Web_Services.asmx")) == 1
    assert len(server.expeditions) == 1
    # As after a timeout: nothing is sent again before someone checked.
    with pytest.raises(connector.CarrierError) as error:
        client.lookup("SHP/2026/000065")
    assert error.value.code == "OUTCOME_UNKNOWN"


def test_creation_rate_limit_is_retried_but_an_outage_is_not(server):
    client = make_connector(server)
    server.script(fake.Fail(429, retry_after=0), path="/Web_Services.asmx")
    client.ship(home_request(), "SHP/2026/000054")
    assert len(server.requests_to("/Web_Services.asmx")) == 2
    assert len(server.expeditions) == 1
    server.script(fake.Fail(503), path="/Web_Services.asmx")
    with pytest.raises(connector.CarrierUnavailable) as error:
        client.ship(home_request(), "SHP/2026/000055")
    assert error.value.outcome_unknown
    assert len(server.requests_to("/Web_Services.asmx")) == 3


def test_searches_and_label_downloads_are_retried(server):
    client = make_connector(server)
    server.script(fake.Fail(503), fake.Drop(), path="/Web_Services.asmx")
    assert len(client.parse_relay_points(client.request_relay_points("FR", "75011"))) == 8
    server.script(fake.Fail(502), path="/ww2/")
    assert client.ship(home_request(), "SHP/2026/000056").label.startswith(b"%PDF")


def test_tracking_follows_the_parcel_life(server):
    client = make_connector(server)
    first = client.ship(home_request(), "SHP/2026/000057")
    second = client.ship(home_request(), "SHP/2026/000058")
    server.expeditions[first.tracking_number]["created"] -= timedelta(hours=70)
    events = client.track([first.tracking_number, second.tracking_number, "50000000"])
    stages = {
        number: [e.stage for e in events if e.tracking_number == number]
        for number in (first.tracking_number, second.tracking_number)
    }
    assert stages[first.tracking_number][-1] == "delivered"
    assert stages[second.tracking_number] == ["label_created"]
    # Known events come back with the same uid.
    again = client.track([first.tracking_number])
    assert {e.uid for e in again} <= {e.uid for e in events}
    with pytest.raises(connector.CarrierError) as error:
        client.track(["123"])
    assert error.value.code == "24"


@pytest.mark.conformance
def test_label_of_an_existing_expedition_is_downloaded_again(server):
    client = make_connector(server, label_size="A5")
    result = client.ship(home_request(), "SHP/2026/000060")
    label = client.parse_label(client.request_label(result.tracking_number))
    assert label.startswith(b"%PDF")
    assert server.requests_to("/ww2/", "GET")[-1].query["format"] == "A5"
    sent = operation_element(server.requests_to("/Web_Services.asmx", "POST")[-1].body)
    assert published_schema().validate(sent), published_schema().error_log
    assert dict(parameters(sent))["Expeditions"] == result.tracking_number
    with pytest.raises(connector.CarrierError) as error:
        client.parse_label(client.request_label("50000000"))
    assert error.value.code == "94"
    server.script(fake.Fail(503), fake.Fail(503), fake.Fail(503), path="/ww2/")
    with pytest.raises(connector.CarrierError) as error:
        client.parse_label(client.request_label(result.tracking_number))
    assert error.value.code == "LABEL" and error.value.retryable


def test_relay_point_detail_by_number(server):
    client = make_connector(server)
    points = client.parse_relay_points(client.request_relay_points("FR", "69004", count=3))
    assert len(points) == 3
    detail = client.parse_relay_points(client.request_relay_point("FR", points[1]["id"]))
    assert [point["id"] for point in detail] == [points[1]["id"]]
    assert detail[0]["name"] == points[1]["name"] and detail[0]["distance"] == 0
    with pytest.raises(connector.CarrierError) as error:
        client.request_relay_points("FR", "6900")
        client.parse_relay_points(client.request_relay_points("FR", "6900"))
    assert error.value.code == "36"


def test_schema_violations_are_soap_faults(server):
    client = make_connector(server)
    with pytest.raises(connector.CarrierError):
        client.track(["50554859"])  # valid request, unknown parcel (STAT 94)
    body = server.requests[-1].body.replace(b"<ns0:Langue>FR</ns0:Langue>", b"")
    # Parameters out of the schema's order never reach the business checks.
    body = body.replace(b"<ns0:Enseigne>", b"<ns0:Langue>FR</ns0:Langue><ns0:Enseigne>")
    response = connector.SoapHttpClient(retry=connector.NO_RETRY).request(
        "POST",
        server.endpoint,
        data=body,
        headers={
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": '"http://www.mondialrelay.fr/webservice/WSI2_TracingColisDetaille"',
        },
    )
    assert response.status == 500
    assert b"Server was unable to read request" in response.content
