"""Chronopost's web services (``ws.chronopost.fr``) as a local server.

Each service answers on its own path (``/shipping-cxf/ShippingServiceWS``...).
Requests are checked the way the carrier does: the body against the service's schema
(element names, order, types: a violation is a SOAP fault), the account number and
password, then each field (error 31 for an empty required field, 32 for a field too
long, 33 for an invalid one such as a civility other than E, L or M, 35 for a product
not offered, 38 for a postcode without routing). Answers are shaped like the
carrier's: ``errorCode``, reservation and skybill numbers, labels as base64 PDF or
ZPL, tracking events, relay points with their opening hours.
"""

import base64
import itertools
import re
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from lxml import etree

from odoo.addons.omni_tms.tests.fake_servers import (
    SoapFakeServer,
    minimal_pdf,
    parcel_events,
    route,
    soap_operation,
    wsdl_schema,
)

WSDL_DIR = Path(__file__).resolve().parents[2] / "static" / "wsdl"
SERVICES = {
    "/shipping-cxf/ShippingServiceWS": "chronopost_shipping.wsdl",
    "/quickcost-cxf/QuickcostServiceWS": "chronopost_quickcost.wsdl",
    "/tracking-cxf/TrackingServiceWS": "chronopost_tracking.wsdl",
    "/recherchebt-ws-cxf/PointRelaisServiceWS": "chronopost_relay.wsdl",
}
DEMO_ACCOUNTS = {"19869502": "255562"}
PARIS = ZoneInfo("Europe/Paris")
FIRST_SKYBILL = 503122466
# Products: (name, price up to 1 kg, price per extra kg) in euros excluding VAT.
PRODUCTS = {
    "01": ("Chrono 13", 13.9, 0.9),
    "02": ("Chrono 10", 21.5, 1.2),
    "16": ("Chrono 18", 11.9, 0.8),
    "86": ("Chrono Relais", 6.9, 0.5),
    "44": ("Chrono Classic", 24.0, 2.5),
}
MAX_KG = 30.0
POSTCODES = {"FR": r"(?!00)\d{5}", "BE": r"[1-9]\d{3}", "LU": r"\d{4}", "DE": r"\d{5}"}
RELAY_COUNTRIES = ("FR", "BE", "LU", "NL", "DE", "ES")
RELAY_NAMES = ("RELAIS PICKUP CENTRE", "TABAC PRESSE", "CONSIGNE PICKUP GARE", "EPICERIE")
RELAY_NAMES += ("LIBRAIRIE DU MARCHE", "PRESSING DE LA POSTE")
# A parcel's life: (hours after creation, code, label).
LIFE = (
    (0, "DC", "Envoi en cours de préparation chez l'expéditeur"),
    (18, "PC", "Envoi pris en charge par Chronopost"),
    (22, "TS", "Envoi en transit"),
    (30, "MD", "Envoi en cours de livraison"),
    (34, "D", "Livraison effectuée"),
)
LENGTHS = {
    "Adress1": 38,
    "Adress2": 38,
    "City": 50,
    "Name": 100,
    "Name2": 100,
    "ContactName": 100,
}
CIVILITIES = ("E", "L", "M")
REQUIRED = ("Adress1", "City", "Country", "Name", "ZipCode")
EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"


class ChronopostServer(SoapFakeServer):
    """``accounts`` maps account numbers to passwords."""

    stores = ("reservations", "skybills")

    def __init__(self, accounts=None, **kwargs):
        super().__init__(**kwargs)
        self.accounts = dict(DEMO_ACCOUNTS if accounts is None else accounts)
        self.schemas = {path: wsdl_schema(WSDL_DIR / name) for path, name in SERVICES.items()}
        self._numbers = itertools.count(FIRST_SKYBILL)
        self._reservations = itertools.count(405588805031224667082)

    @property
    def endpoint(self):
        return self.url

    # Protocol -------------------------------------------------------------------

    @route("POST", r"/.*")
    def soap(self, request):
        if request.path not in self.schemas:
            return self.raw("<html><body>No service was found.</body></html>", 404, "text/html")
        try:
            root = etree.fromstring(request.body)
            operation = root.xpath("//*[local-name()='Body']/*")[0]
        except (etree.XMLSyntaxError, IndexError):
            return self.fault("soap:Client", "Error reading XMLStreamReader.")
        schema, namespace = self.schemas[request.path]
        qname = etree.QName(operation)
        if qname.namespace != namespace or not schema.validate(
            etree.fromstring(etree.tostring(operation))
        ):
            message = (
                escape(schema.error_log.last_error.message)
                if qname.namespace == namespace and schema.error_log.last_error
                else f"Unexpected wrapper element {escape(qname.text)} found."
            )
            return self.fault("soap:Client", f"Unmarshalling Error: {message}")
        return super().soap(request)

    @staticmethod
    def values(element):
        return {etree.QName(child).localname: child.text or "" for child in element}

    @staticmethod
    def groups(element, name):
        """The values of each repeated child ``name`` of ``element``."""
        return [
            {etree.QName(child).localname: child.text or "" for child in group}
            for group in element
            if etree.QName(group).localname == name
        ]

    def authenticated(self, account, password):
        return bool(account) and self.accounts.get(account.strip()) == password

    def answer(self, operation, namespace, body):
        return self.envelope(
            f'<ns1:{operation}Response xmlns:ns1="{namespace}"><return>{body}</return>'
            f"</ns1:{operation}Response>"
        )

    def shipping_answer(self, operation, body):
        return self.answer(operation, "http://cxf.shipping.soap.chronopost.fr/", body)

    def tracking_answer(self, operation, body):
        return self.answer(operation, "http://cxf.tracking.soap.chronopost.fr/", body)

    @staticmethod
    def error(code, message):
        return f"<errorCode>{code}</errorCode><errorMessage>{escape(message)}</errorMessage>"

    # Rates ------------------------------------------------------------------------

    @soap_operation("quickCost")
    def quick_cost(self, request, element):
        params = self.values(element)
        namespace = "http://cxf.quickcost.soap.chronopost.fr/"
        no_amount = "<amount>0</amount><amountTTC>0</amountTTC><amountTVA>0</amountTVA>"
        if not self.authenticated(params.get("accountNumber"), params.get("password")):
            body = no_amount + self.error(2, "Identification failed")
            return self.answer("quickCost", namespace, body)
        product = PRODUCTS.get(params.get("productCode") or "")
        try:
            weight = float(params.get("weight") or 0)
        except ValueError:
            weight = 0.0
        departure, arrival = params.get("depCode") or "", params.get("arrCode") or ""
        valid_arrival = re.fullmatch(POSTCODES["FR"], arrival) or re.fullmatch(r"[A-Z]{2}", arrival)
        if (
            not product
            or not 0 < weight <= MAX_KG
            or not re.fullmatch(POSTCODES["FR"], departure)
            or not valid_arrival
        ):
            body = no_amount + self.error(3, "Product not available for this route or weight")
            return self.answer("quickCost", namespace, body)
        amount = round(product[1] + product[2] * max(0.0, weight - 1), 2)
        tax = round(amount * 0.2, 2)
        body = (
            f"<amount>{amount}</amount><amountTTC>{amount + tax:.2f}</amountTTC>"
            f"<amountTVA>{tax}</amountTVA><errorCode>0</errorCode><errorMessage/>"
            f"<zone>{'1' if len(arrival) == 5 else 'E'}</zone>"
        )
        return self.answer("quickCost", namespace, body)

    # Shipments ------------------------------------------------------------------

    @soap_operation("shippingMultiParcelV4")
    def shipping(self, request, element):
        header = self.groups(element, "headerValue")[0]
        params = self.values(element)
        if not self.authenticated(header.get("accountNumber"), params.get("password")):
            return self.shipping_answer(
                "shippingMultiParcelV4", self.error(30, "Invalid account number or password")
            )
        shippers = self.groups(element, "shipperValue")
        recipients = self.groups(element, "recipientValue")
        refs = self.groups(element, "refValue")
        skybills = self.groups(element, "skybillValue")
        code = self.check_shipment(params, shippers, recipients, refs, skybills)
        outage = None if code else self.next_outage()
        if outage == "fault":
            return self.fault("soap:Server", "Fault occurred while processing.")
        if outage:
            code = (outage, "System error, please try again later")
        if code:
            return self.shipping_answer("shippingMultiParcelV4", self.error(*code))
        mode = self.values(self.groups_element(element, "skybillParamsValue")).get("mode")
        created = datetime.now(PARIS).replace(microsecond=0, tzinfo=None)
        with self._data_lock:
            reservation = str(next(self._reservations))
            numbers = [f"XP{next(self._numbers)}FR" for _skybill in skybills]
            self.reservations[reservation] = {"skybills": numbers, "mode": mode}
            for index, number in enumerate(numbers):
                self.skybills[number] = {
                    "account": header["accountNumber"],
                    "reference": refs[index].get("shipperRef", ""),
                    "recipient": recipients[index],
                    "skybill": skybills[index],
                    "relay": refs[index].get("idRelais", ""),
                    "created": created,
                    "events": None,
                }
        parcels = "".join(
            f"<resultMultiParcelValue><codeDepot>67099008</codeDepot>"
            f"<codeService>226</codeService><destinationDepot>0475</destinationDepot>"
            f"<geoPostNumeroColis>{number[:11]}248W</geoPostNumeroColis>"
            f"<groupingPriorityLabel>VAL0</groupingPriorityLabel><serviceMark/>"
            f"<serviceName>AM2-NO</serviceName><signaletiqueProduit>LU13</signaletiqueProduit>"
            f"<skybillNumber>{number}</skybillNumber></resultMultiParcelValue>"
            for number in numbers
        )
        return self.shipping_answer(
            "shippingMultiParcelV4",
            f"<errorCode>0</errorCode><errorMessage/>"
            f"<reservationNumber>{reservation}</reservationNumber>{parcels}",
        )

    @staticmethod
    def groups_element(element, name):
        found = [child for child in element if etree.QName(child).localname == name]
        return found[0] if found else etree.Element(name)

    def check_shipment(self, params, shippers, recipients, refs, skybills):
        """(code, message) of the first invalid field, or None."""
        count = int(params.get("numberOfParcel") or 0)
        if not count or not (len(shippers) == len(recipients) == len(skybills) == count):
            return 33, "numberOfParcel does not match the parcels sent"
        for role, groups in (("shipper", shippers), ("recipient", recipients)):
            for values in groups:
                for field in REQUIRED:
                    if not values.get(f"{role}{field}"):
                        return 31, f"{role}{field} is empty"
                for field, length in LENGTHS.items():
                    if len(values.get(f"{role}{field}", "")) > length:
                        return 32, f"{role}{field} is longer than {length} characters"
                email = values.get(f"{role}Email")
                if email and not re.fullmatch(EMAIL, email):
                    return 33, f"{role}Email is invalid"
                if values.get(f"{role}Civility", "E") not in CIVILITIES:
                    return 33, f"{role}Civility is invalid"
                country = values[f"{role}Country"]
                pattern = POSTCODES.get(country)
                if pattern and not re.fullmatch(pattern, values[f"{role}ZipCode"]):
                    return 38, f"No routing for {values[f'{role}ZipCode']} {country}"
        for index, skybill in enumerate(skybills):
            if skybill.get("productCode") not in PRODUCTS:
                return 35, f"Product {skybill.get('productCode')} not found"
            if skybill.get("weightUnit") != "KGM" or not 0 < float(skybill["weight"]) <= MAX_KG:
                return 33, "weight is invalid"
            relay = refs[index].get("idRelais") if index < len(refs) else ""
            if skybill["productCode"] == "86" and not relay:
                return 31, "idRelais is empty"
        return None

    @soap_operation("getReservedSkybillWithTypeAndMode")
    def reserved_skybill(self, request, element):
        params = self.values(element)
        reservation = self.reservations.get(params.get("reservationNumber") or "")
        mode = params.get("mode") or "PDF"
        if not reservation:
            body = self.error(36, "File not found")
        elif mode not in ("PDF", "Z2D", "SPD", "THE"):
            body = self.error(33, f"Invalid mode {mode}")
        else:
            document = self.label(reservation["skybills"], mode)
            body = (
                f"<errorCode>0</errorCode><skybill>{base64.b64encode(document).decode()}"
                f"</skybill><type>{mode}</type>"
            )
        return self.shipping_answer("getReservedSkybillWithTypeAndMode", body)

    def label(self, numbers, mode):
        """The labels of skybills ``numbers``: one PDF, or ZPL with one label each."""
        lines = []
        for number in numbers:
            recipient = self.skybills[number]["recipient"]
            lines.append(
                [
                    "CHRONOPOST",
                    number,
                    recipient.get("recipientName", ""),
                    f"{recipient.get('recipientZipCode', '')} {recipient.get('recipientCity', '')}",
                ]
            )
        if mode == "Z2D":
            return "".join(
                "^XA"
                + "".join(f"^FO50,{60 + 50 * i}^A0N,36,36^FD{t}^FS" for i, t in enumerate(p))
                + "^XZ\n"
                for p in lines
            ).encode()
        return minimal_pdf([line for parcel in lines for line in parcel])

    # Tracking -------------------------------------------------------------------

    def set_events(self, number, events):
        """Replace the life of skybill ``number`` by ``events``: (naive datetime in
        French time, code, label) tuples."""
        self.skybills[number]["events"] = list(events)

    def events_of(self, number):
        return parcel_events(self.skybills[number], LIFE, PARIS)

    def events_xml(self, number):
        zip_code = self.skybills[number]["recipient"].get("recipientZipCode", "")
        return "".join(
            f"<events><code>{code}</code>"
            f"<eventDate>{moment.replace(tzinfo=PARIS).isoformat(timespec='milliseconds')}"
            f"</eventDate><eventLabel>{escape(label)}</eventLabel>"
            f"<highPriority>false</highPriority><NPC/>"
            f"<officeLabel>{'Agence Chronopost' if index else ''}</officeLabel>"
            f"<zipCode>{zip_code if code in ('MD', 'D') else ''}</zipCode></events>"
            for index, (moment, code, label) in enumerate(self.events_of(number))
        )

    @soap_operation("trackSkybillV2")
    def track_skybill(self, request, element):
        number = self.values(element).get("skybillNumber") or ""
        events = self.events_xml(number) if number in self.skybills else ""
        return self.tracking_answer(
            "trackSkybillV2",
            f"<errorCode>0</errorCode><errorMessage/><listEventInfoComp>{events}"
            f"<skybillNumber>{escape(number)}</skybillNumber></listEventInfoComp>",
        )

    @soap_operation("trackWithSenderRef")
    def track_with_sender_ref(self, request, element):
        params = self.values(element)
        account = params.get("accountNumber") or ""
        if not self.authenticated(account, params.get("password")):
            return self.tracking_answer(
                "trackWithSenderRef", self.error(2, "Invalid account number or password")
            )
        reference = params.get("sendersRef") or ""
        parcels = "".join(
            f"<listParcel>{self.events_xml(number)}<skybillNumber>{number}</skybillNumber>"
            f"</listParcel>"
            for number, skybill in self.skybills.items()
            if skybill["account"] == account and reference and skybill["reference"] == reference
        )
        return self.tracking_answer(
            "trackWithSenderRef", f"<errorCode>0</errorCode><errorMessage/>{parcels}"
        )

    @soap_operation("cancelSkybill")
    def cancel_skybill(self, request, element):
        params = self.values(element)
        account = params.get("accountNumber") or ""
        number = params.get("skybillNumber") or ""
        skybill = self.skybills.get(number)
        if (
            not self.authenticated(account, params.get("password"))
            or not skybill
            or skybill["account"] != account
        ):
            body = self.error(2, "the parcel doesn't match account or parcel information not found")
        elif any(code != "DC" for _moment, code, _label in self.events_of(number)):
            body = self.error(3, "the parcel has already been taken over by Chronopost")
        else:
            with self._data_lock:
                del self.skybills[number]
            body = "<errorCode>0</errorCode><errorMessage/>"
        return self.tracking_answer("cancelSkybill", body + "<statusCode>0</statusCode>")

    # Relay points ---------------------------------------------------------------

    @soap_operation("recherchePointChronopostInter")
    def relay_points(self, request, element):
        params = self.values(element)
        namespace = "http://cxf.rechercheBt.soap.chronopost.fr/"
        country = params.get("countryCode") or ""
        zip_code = params.get("zipCode") or ""
        if not self.authenticated(params.get("accountNumber"), params.get("password")):
            body = self.error(2, "Identification failed")
        elif country not in RELAY_COUNTRIES:
            body = self.error(6, f"Country {country} not served")
        elif not re.fullmatch(POSTCODES.get(country, r"[0-9A-Z -]{3,10}"), zip_code):
            body = self.error(5, f"Invalid zip code {zip_code}")
        else:
            count = min(int(params.get("maxPointChronopost") or 5), len(RELAY_NAMES))
            points = "".join(self.point_xml(country, zip_code, index) for index in range(count))
            body = (
                f"<errorCode>0</errorCode><errorMessage/>{points}<qualiteReponse>1</qualiteReponse>"
            )
        return self.answer("recherchePointChronopostInter", namespace, body)

    @staticmethod
    def point_xml(country, zip_code, index):
        name = RELAY_NAMES[index]
        locker = "CONSIGNE" in name
        hours = "00:00-23:59 00:00-00:00" if locker else "09:00-12:30 14:00-19:00"
        days = "".join(
            f"<listeHoraireOuverture><horairesAsString>"
            f"{hours if day < 7 or locker else '00:00-00:00 00:00-00:00'}"
            f"</horairesAsString><jour>{day}</jour></listeHoraireOuverture>"
            for day in range(1, 8)
        )
        return (
            f"<listePointRelais><accesPersonneMobiliteReduite>true"
            f"</accesPersonneMobiliteReduite><actif>true</actif>"
            f"<adresse1>{index * 6 + 3} AVENUE JEAN JAURES</adresse1><adresse2/><adresse3/>"
            f"<codePays>{country}</codePays><codePostal>{zip_code}</codePostal>"
            f"<coordGeolocalisationLatitude>{45.75 + index * 0.004:.6f}"
            f"</coordGeolocalisationLatitude>"
            f"<coordGeolocalisationLongitude>{4.85 + index * 0.003:.6f}"
            f"</coordGeolocalisationLongitude>"
            f"<distanceEnMetre>{350 + 420 * index}</distanceEnMetre>"
            f"<identifiant>{zip_code[:2]}{index + 1:03d}</identifiant>"
            f"<indiceDeLocalisation>{'Consigne automatique' if locker else ''}"
            f"</indiceDeLocalisation>{days}"
            f"<localite>VILLE {zip_code}</localite><nom>{name}</nom><poidsMaxi>20000</poidsMaxi>"
            f"<typeDePoint>{'C' if locker else 'P'}</typeDePoint></listePointRelais>"
        )
