"""Connector of Chronopost's SOAP web services (``ws.chronopost.fr``).

- ``QuickcostServiceWS.quickCost`` prices a parcel for a product (Chrono 13,
  Chrono Relais...);
- ``ShippingServiceWS.shippingMultiParcelV4`` creates the skybills of a shipment
  (one per parcel) with a label reservation, whose labels
  ``getReservedSkybillWithTypeAndMode`` then gives as one PDF or ZPL document;
- ``TrackingServiceWS``: ``trackSkybillV2`` gives the events of a parcel,
  ``trackWithSenderRef`` the parcels created with our reference (so a creation whose
  answer was lost is found instead of sent twice), ``cancelSkybill`` cancels a parcel
  not yet handed over;
- ``PointRelaisServiceWS.recherchePointChronopostInter`` finds relay points.

Credentials (account number and password) travel in every request body; answers
carry an ``errorCode``, 0 meaning success.
"""

import base64
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from odoo.addons.omni_tms.connector import (
    CarrierConnector,
    CarrierError,
    CarrierUnreadable,
    RateResult,
    ShipmentResult,
    TrackingEvent,
    _lt,
    decimal,
    fit,
    phone_number,
    to_ascii,
    wrap,
)

WSDL_DIR = Path(__file__).resolve().parents[1] / "static" / "wsdl"
ENDPOINT = "https://ws.chronopost.fr"
# Services: their local WSDL and their path under the endpoint.
SERVICES = {
    "shipping": ("chronopost_shipping.wsdl", "/shipping-cxf/ShippingServiceWS"),
    "quickcost": ("chronopost_quickcost.wsdl", "/quickcost-cxf/QuickcostServiceWS"),
    "tracking": ("chronopost_tracking.wsdl", "/tracking-cxf/TrackingServiceWS"),
    "relay": ("chronopost_relay.wsdl", "/recherchebt-ws-cxf/PointRelaisServiceWS"),
}
TRACKING_PAGE = "https://www.chronopost.fr/tracking-no-cms/suivi-page"
RELAY_PRODUCT = "86"  # Chrono Relais
LABEL_MODES = {"pdf": "PDF", "zpl": "Z2D"}
# Address lines take 38 characters at most, names 100, cities 50.
LINE_LENGTH = 38
NAME_LENGTH = 100
CITY_LENGTH = 50
# Values every recorded request of the carrier sends: a civility (E, L or M) for the
# shipper and the customer, which Omni's addresses do not carry (M, one of those the
# recorded requests use), and the recipient type.
CIVILITY = "M"
RECIPIENT_TYPE = "1"
CARRIER_TIMEZONE = ZoneInfo("Europe/Paris")

# errorCode of shippingMultiParcelV4 / getReservedSkybill: what went wrong and what to
# fix (translated in Odoo, see ``messages``). Retryable: trying again later may work
# without changing anything.
SHIPPING_MESSAGES = {
    "1": _lt("system error of the service: try again later"),
    "29": _lt("system error of the service: try again later"),
    "30": _lt("invalid account number or password: check the carrier settings"),
    "31": _lt(
        "a required field is empty: complete the address (name, street, postcode, "
        "city, country) and the weight"
    ),
    "32": _lt("a field is too long: shorten the address (lines of 38 characters at most)"),
    "33": _lt("a field is invalid: check the address, the phone number and the e-mail"),
    "34": _lt("a number is expected: check the weight and the dimensions of the parcels"),
    "35": _lt(
        "the product is not available for this destination: choose another product "
        "code in the carrier settings"
    ),
    "36": _lt("no label found for this reservation: create the shipment again"),
    "37": _lt("the skybill number range of the account is exhausted: contact Chronopost"),
    "38": _lt("no routing for this postcode: check the postcode and the city of the address"),
}
QUICKCOST_MESSAGES = {
    "1": "system error of the service: try again later",
    "2": "invalid account number or password: check the carrier settings",
    "3": "the product is not available between these postcodes or for this weight: "
    "check the postcodes, the weight and the product code",
}
CANCEL_MESSAGES = {
    "1": "system error of the service: try again later",
    "2": "the parcel does not belong to this account or was not found",
    "3": "the parcel was already handed over to Chronopost and can no longer be cancelled",
}
TRACKING_MESSAGES = {
    "1": "system error of the service: try again later",
    "2": "invalid account number or password: check the carrier settings",
    "3": "unknown parcel: check the tracking number",
}
RELAY_MESSAGES = {
    "1": "system error of the service: try again later",
    "2": "invalid account number or password: check the carrier settings",
    "5": "invalid postcode: check the postcode of the address",
    "6": "invalid country: check the country of the address",
    "7": "no relay point found around this address",
}
RETRYABLE_CODES = frozenset({"1", "29"})
# Event codes to normalised stages; unknown codes are transit events.
EVENT_STAGES = {
    "DC": "label_created",
    "PC": "picked_up",
    "SC": "picked_up",
    "TA": "in_transit",
    "TS": "in_transit",
    "MD": "out_for_delivery",
    "MQ": "out_for_delivery",
    "D": "delivered",
    "D1": "delivered",
    "D2": "delivered",
    "RE": "exception",
    "AA": "exception",
    "NL": "exception",
    "RB": "returned",
}


class ChronopostConnector(CarrierConnector):
    name = "Chronopost"
    supports_lookup = True
    supports_label_download = True
    names_customer_at_pickup_point = True

    def __init__(
        self,
        *,
        account_number,
        password,
        sub_account="",
        product_code="01",
        return_product_code="01",
        language="fr_FR",
        messages=None,
        **kwargs,
    ):
        kwargs.setdefault("endpoint", ENDPOINT)
        super().__init__(secrets=(password,), **kwargs)
        self.account_number = str(account_number or "").strip()
        self.password = password
        self.sub_account = str(sub_account or "").strip()
        self.product_code = product_code
        self.return_product_code = return_product_code
        self.label_mode = LABEL_MODES.get(self.label_format, "PDF")
        self.language = language
        self.shipping_messages = {**SHIPPING_MESSAGES, **(messages or {})}

    # Calls ----------------------------------------------------------------------

    def call(self, service, operation, params, deadline=None, idempotent=True):
        """``operation`` of ``service`` (a key of SERVICES); its ``return`` as plain data."""
        wsdl, path = SERVICES[service]
        client = self.soap_client(str(WSDL_DIR / wsdl), endpoint=self.endpoint.rstrip("/") + path)
        return client.call(operation, deadline=deadline, idempotent=idempotent, **params) or {}

    @property
    def credentials(self):
        return {"accountNumber": self.account_number, "password": self.password}

    def check(self, answer, what, messages):
        """The answer when its errorCode is 0, else a CarrierError naming the code, the
        carrier's message and what to fix."""
        code = (answer or {}).get("errorCode")
        code = "" if code is None else str(code).strip()
        if not code:
            raise CarrierUnreadable(
                f"{self.name} answered without an error code: the {what} may have been carried out."
            )
        if code == "0":
            return answer
        hint = messages.get(code) or "unexpected error"
        detail = self.redactor.text(answer.get("errorMessage") or "").strip()
        detail = f": {detail}" if detail else ""
        raise CarrierError(
            f"{self.name} refused the {what} (error {code}{detail}): {hint}.",
            code=code,
            retryable=code in RETRYABLE_CODES,
        )

    # Rates ------------------------------------------------------------------------

    def request_rate(self, request, deadline=None):
        recipient = request.recipient
        domestic = (recipient.country_code or "FR").upper() == "FR"
        return self.call(
            "quickcost",
            "quickCost",
            {
                **self.credentials,
                "depCode": (request.sender.zip or "").strip(),
                "arrCode": (recipient.zip or "").strip()
                if domestic
                else recipient.country_code.upper(),
                "weight": f"{max(request.weight, 0.01):g}",
                "productCode": self.product_code,
                "type": "M",
            },
            deadline=deadline,
        )

    def parse_rate(self, request, raw):
        answer = self.check(raw, "price request", QUICKCOST_MESSAGES)
        return RateResult(price=float(answer.get("amount") or 0.0), currency="EUR")

    # Shipments ------------------------------------------------------------------

    def shipment_params(self, request, reference, kind="outbound"):
        """The parameters of shippingMultiParcelV4: per parcel, its shipper, recipient,
        references and skybill, in the same order."""
        merchant = request.sender if kind == "outbound" else request.recipient
        product = self.product_code if kind == "outbound" else self.return_product_code
        if kind == "outbound" and product == RELAY_PRODUCT and not request.pickup_point:
            raise CarrierError(
                f"{self.name} delivers {request.reference} to a relay point: choose the "
                "relay point of the order before creating the label.",
                code="idRelais",
            )
        parcels = request.parcels or ()
        now = datetime.now(CARRIER_TIMEZONE)
        shipper = {**self._address("shipper", request.sender), "shipperCivility": CIVILITY}
        recipient = {
            **self._address("recipient", request.recipient),
            "recipientType": RECIPIENT_TYPE,
        }
        ref = {"shipperRef": reference, "recipientRef": request.reference[:35]}
        if kind == "outbound" and request.pickup_point:
            ref["idRelais"] = request.pickup_point
        skybills = [
            {
                "bulkNumber": "1",
                "content1": request.reference[:45],
                "evtCode": "DC",
                "objectType": "MAR",
                "productCode": product,
                "service": "0",
                "shipDate": now.replace(tzinfo=None, microsecond=0),
                "shipHour": now.hour,
                "skybillRank": "1",
                "weight": round(max(parcel.weight, 0.01), 3),
                "weightUnit": "KGM",
                "height": parcel.height or 0.0,
                "length": parcel.length or 0.0,
                "width": parcel.width or 0.0,
            }
            for parcel in parcels
        ]
        return {
            "headerValue": {
                "accountNumber": int(self.account_number or 0),
                "idEmit": "CHRFR",
                "subAccount": int(self.sub_account or 0),
            },
            "shipperValue": [shipper] * len(parcels),
            "customerValue": {
                **self._address("customer", merchant),
                "customerCivility": CIVILITY,
                "printAsSender": "N",
            },
            "recipientValue": [recipient] * len(parcels),
            "refValue": [ref] * len(parcels),
            "skybillValue": skybills,
            "skybillParamsValue": {"mode": self.label_mode, "withReservation": 1},
            "password": self.password,
            "modeRetour": "2",
            "numberOfParcel": len(parcels),
        }

    @staticmethod
    def _address(role, address):
        """The ``<role>...`` elements of ``address``, in ASCII and within the field
        lengths: a street or name too long goes on to its second line, cut between
        words. Every element is sent (empty when unknown), so a request carries all
        those the carrier's recorded requests carry."""
        street, street2 = wrap(
            [to_ascii(address.street), to_ascii(address.street2)], LINE_LENGTH, 2
        )
        name, name2 = wrap([to_ascii(address.name)], NAME_LENGTH, 2)
        country = (address.country_code or "").upper()
        return {
            f"{role}Adress1": street,
            f"{role}Adress2": street2,
            f"{role}City": fit(to_ascii(address.city), CITY_LENGTH),
            f"{role}ContactName": fit(to_ascii(address.name), NAME_LENGTH),
            f"{role}Country": country,
            f"{role}CountryName": to_ascii(address.country_name or country).upper(),
            f"{role}Email": (address.email or "").strip(),
            f"{role}Name": name,
            f"{role}Name2": name2,
            f"{role}Phone": phone_number(address.phone),
            f"{role}PreAlert": 0,
            f"{role}ZipCode": to_ascii(address.zip).strip().upper(),
        }

    def _create(self, request, reference, kind, deadline):
        answer = self.call(
            "shipping",
            "shippingMultiParcelV4",
            self.shipment_params(request, reference, kind),
            deadline=deadline,
            # A lost answer is looked up by our reference (trackWithSenderRef) before
            # anything is sent again.
            idempotent=False,
        )
        raw = {"answer": answer, "labels": None, "label_error": ""}
        if str(answer.get("errorCode")) == "0" and answer.get("reservationNumber"):
            try:
                raw["labels"] = self.request_label(answer["reservationNumber"], deadline)
            except CarrierError as error:
                raw["label_error"] = str(error)
        return raw

    def request_label(self, carrier_reference, deadline=None):
        """The labels of a reservation (getReservedSkybillWithTypeAndMode)."""
        return self.call(
            "shipping",
            "getReservedSkybillWithTypeAndMode",
            {"reservationNumber": carrier_reference, "mode": self.label_mode},
            deadline=deadline,
        )

    def parse_label(self, raw):
        """The label document (PDF or ZPL bytes) of a getReservedSkybill answer."""
        answer = self.check(raw, "label download", self.shipping_messages)
        try:
            return base64.b64decode(answer.get("skybill") or "", validate=False)
        except ValueError as error:
            raise CarrierError(f"{self.name} answered a label that is not base64.") from error

    def _result(self, raw, what):
        answer = self.check(raw["answer"], what, self.shipping_messages)
        skybills = [
            str(parcel.get("skybillNumber") or "").strip()
            for parcel in answer.get("resultMultiParcelValue") or []
            if parcel and parcel.get("skybillNumber")
        ]
        if not skybills:
            raise CarrierUnreadable(
                f"{self.name} accepted the {what} but answered no skybill number."
            )
        label = b""
        if raw.get("labels") is not None:
            try:
                label = self.parse_label(raw["labels"])
            except CarrierError as error:
                raw["label_error"] = str(error)
        if raw.get("label_error"):
            self.logger.warning(
                "%s: skybills %s created, their label could not be fetched: %s",
                self.name,
                ", ".join(skybills),
                raw["label_error"],
            )
        return ShipmentResult(
            carrier_reference=str(answer.get("reservationNumber") or ""),
            tracking_number=",".join(skybills),
            label=label,
            label_format="zpl" if self.label_mode == "Z2D" else "pdf",
            tracking_url=self.tracking_url(skybills[0]),
        )

    def request_shipment(self, request, reference, deadline=None):
        return self._create(request, reference, "outbound", deadline)

    def parse_shipment(self, request, raw):
        return self._result(raw, "shipment")

    def request_return(self, request, reference, original_tracking, deadline=None):
        return self._create(request, reference, "return", deadline)

    def parse_return(self, request, raw):
        return self._result(raw, "return shipment")

    def request_lookup(self, reference, deadline=None):
        return self.call(
            "tracking",
            "trackWithSenderRef",
            {**self.credentials, "language": self.language, "sendersRef": reference},
            deadline=deadline,
        )

    def parse_lookup(self, raw):
        """The parcels created earlier with our reference, without their label (only
        the reservation gives labels, and its answer was lost): None if there are none."""
        if str((raw or {}).get("errorCode")) == "3":
            return None
        answer = self.check(raw, "look-up of the shipment", TRACKING_MESSAGES)
        skybills = [
            str(parcel.get("skybillNumber") or "").strip()
            for parcel in answer.get("listParcel") or []
            if parcel and parcel.get("skybillNumber")
        ]
        if not skybills:
            return None
        return ShipmentResult(
            carrier_reference="",
            tracking_number=",".join(skybills),
            tracking_url=self.tracking_url(skybills[0]),
        )

    # Cancellation ---------------------------------------------------------------

    def request_cancel(self, shipment, deadline=None):
        return [
            (
                skybill,
                self.call(
                    "tracking",
                    "cancelSkybill",
                    {**self.credentials, "language": self.language, "skybillNumber": skybill},
                    deadline=deadline,
                ),
            )
            for skybill in filter(None, shipment.tracking_number.split(","))
        ]

    def parse_cancel(self, raw):
        for skybill, answer in raw:
            self.check(answer, f"cancellation of {skybill}", CANCEL_MESSAGES)
        return True

    # Tracking -------------------------------------------------------------------

    def request_tracking(self, tracking_numbers, deadline=None):
        """One call per parcel (the service takes one skybill at a time)."""
        skybills = [
            skybill for number in tracking_numbers for skybill in number.split(",") if skybill
        ]
        answers = []
        for skybill in skybills:
            try:
                answer = self.call(
                    "tracking",
                    "trackSkybillV2",
                    {"language": self.language, "skybillNumber": skybill},
                    deadline=deadline,
                )
            except CarrierError as error:
                if not answers:
                    raise
                answer = {"error": error}
            answers.append((skybill, answer))
        return answers

    def parse_tracking(self, raw):
        events = []
        for skybill, answer in raw:
            if answer.get("error"):
                self.logger.warning("%s: tracking %s: %s", self.name, skybill, answer["error"])
                continue
            try:
                self.check(answer, "tracking", TRACKING_MESSAGES)
            except CarrierError:
                if len(raw) == 1:
                    raise
                self.logger.warning("%s: tracking %s: %s", self.name, skybill, answer)
                continue
            items = (answer.get("listEventInfoComp") or {}).get("events") or []
            events += [self._event(skybill, item) for item in items if item and item.get("code")]
        return events

    def _event(self, skybill, item):
        date = item.get("eventDate")
        if isinstance(date, datetime):
            if date.tzinfo is None:
                date = date.replace(tzinfo=CARRIER_TIMEZONE)
            date = date.astimezone(timezone.utc).replace(tzinfo=None)
        code = str(item.get("code") or "").strip().upper()
        return TrackingEvent(
            uid=f"{skybill}-{code}-{date:%Y%m%d%H%M%S}" if date else f"{skybill}-{code}",
            tracking_number=skybill,
            stage=EVENT_STAGES.get(code, "in_transit"),
            date=date,
            code=code,
            description=(item.get("eventLabel") or "").strip(),
            location=" ".join(
                filter(None, ((item.get("zipCode") or "").strip(), item.get("officeLabel") or ""))
            ).strip(),
        )

    def tracking_url(self, tracking_number):
        return f"{TRACKING_PAGE}?listeNumerosLT={tracking_number}"

    # Relay points ---------------------------------------------------------------

    def request_relay_points(
        self, country_code, zip_code, city="", street="", weight=0.0, count=10, deadline=None
    ):
        return self.call(
            "relay",
            "recherchePointChronopostInter",
            {
                **self.credentials,
                "address": fit(to_ascii(street), LINE_LENGTH),
                "zipCode": (zip_code or "").strip().upper(),
                "city": fit(to_ascii(city), CITY_LENGTH),
                "countryCode": (country_code or "").upper(),
                "type": "P",
                "productCode": RELAY_PRODUCT,
                "service": "L",
                "weight": str(round(weight * 1000) or 1000),
                "shippingDate": datetime.now(CARRIER_TIMEZONE).strftime("%d/%m/%Y"),
                "maxPointChronopost": str(count),
                "maxDistanceSearch": "10",
                "holidayTolerant": "1",
                "language": self.language[:2].upper(),
                "version": "2.0",
            },
            deadline=deadline,
        )

    def parse_relay_points(self, raw):
        """Relay points as plain dicts: id, name, street, zip, city, country_code,
        latitude, longitude, distance (m), opening_hours ({weekday 0-6: [ranges]})."""
        answer = self.check(raw, "relay point search", RELAY_MESSAGES)
        return [
            self._relay_point(point)
            for point in answer.get("listePointRelais") or []
            if point and point.get("identifiant") and point.get("actif") is not False
        ]

    @staticmethod
    def _relay_point(point):
        def text(name):
            return (point.get(name) or "").strip()

        hours = {str(day): [] for day in range(7)}
        for day in point.get("listeHoraireOuverture") or []:
            if not day or not day.get("jour"):
                continue
            ranges = [
                slot.replace("-", " - ")
                for slot in (day.get("horairesAsString") or "").split()
                if slot != "00:00-00:00"
            ]
            hours[str((int(day["jour"]) - 1) % 7)] = ranges

        return {
            "id": text("identifiant"),
            "name": text("nom"),
            "street": " ".join(
                filter(None, (text("adresse1"), text("adresse2"), text("adresse3")))
            ),
            "zip": text("codePostal"),
            "city": text("localite"),
            "country_code": text("codePays"),
            "latitude": decimal(point.get("coordGeolocalisationLatitude")),
            "longitude": decimal(point.get("coordGeolocalisationLongitude")),
            "distance": int(point.get("distanceEnMetre") or 0),
            "opening_hours": hours,
            "information": text("indiceDeLocalisation"),
        }
