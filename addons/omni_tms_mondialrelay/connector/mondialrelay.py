"""Connector of Mondial Relay's SOAP web services (``Web_Services.asmx``).

- ``WSI2_CreationEtiquette`` creates a shipment (relay or home delivery, or a return
  to the merchant in ``LCC`` mode) and answers an expedition number and the relative
  URL of its label, which is then fetched (PDF);
- ``WSI4_PointRelais_Recherche`` finds relay points around a postcode (or one point
  by its number);
- ``WSI2_TracingColisDetaille`` gives the events of one expedition.

Every call is signed: ``Security`` is the upper-case hex MD5 of the non-empty
parameter values in the WSDL's element order followed by the private key, encoded
ISO-8859-1. The private key itself never leaves Omni. Every answer carries a ``STAT``
code: 0 is success, 80 to 83 are tracking states, anything else is an error.

Mondial Relay has no rate, no cancellation and no look-up of a shipment by our
reference: prices come from Odoo's pricing rules, and an attempt whose outcome is
unknown (no answer) is not sent again automatically (see ``parse_lookup``).
"""

import functools
import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from odoo.addons.omni_tms.connector import (
    CarrierConnector,
    CarrierError,
    CarrierUnreadable,
    ShipmentResult,
    TrackingEvent,
    _lt,
    decimal,
    fit,
    load_wsdl,
    phone_number,
    to_ascii,
    wrap,
)

WSDL = Path(__file__).resolve().parents[1] / "static" / "wsdl" / "mondialrelay.wsdl"
NAMESPACE = "http://www.mondialrelay.fr/webservice/"
TEST_ENDPOINT = "https://api.mondialrelay.com/Web_Services.asmx"
LABEL_HOST = "https://www.mondialrelay.com"
TRACKING_PAGE = "https://www.mondialrelay.com/public/permanent/tracking.aspx"

# STAT codes: what went wrong and what to fix (translated in Odoo, see ``messages``).
# Codes missing here are reported with their number. Retryable: trying again later may
# work without changing anything.
STAT_MESSAGES = {
    "1": _lt("invalid brand (Enseigne): check the brand code in the carrier settings"),
    "2": _lt("unknown brand code: check the brand code in the carrier settings"),
    "3": _lt("invalid brand account number: check the carrier settings"),
    "5": _lt("invalid brand file number (NDossier)"),
    "7": _lt("invalid brand customer number (NClient)"),
    "8": _lt("invalid password or hash: check the private key in the carrier settings"),
    "9": _lt("city unknown or not unique: check the city of the address"),
    "10": _lt("invalid collection type"),
    "11": _lt("invalid collection relay point number"),
    "12": _lt("invalid country of the collection relay point"),
    "13": _lt("invalid delivery type"),
    "14": _lt("invalid delivery relay point: choose another relay point"),
    "15": _lt("invalid country of the delivery relay point"),
    "20": _lt("invalid parcel weight: set a weight between 15 g and the service's limit"),
    "21": _lt("invalid parcel size (length + height)"),
    "22": _lt("invalid parcel size"),
    "24": _lt("invalid expedition or tracking number"),
    "26": _lt("invalid assembly time"),
    "27": _lt("invalid collection or delivery mode"),
    "28": _lt("invalid collection mode"),
    "29": _lt("invalid delivery mode"),
    "30": _lt(
        "invalid name (address line 1): at most 32 letters without accents, digits, spaces or "
        "_-'.,/"
    ),
    "31": _lt(
        "invalid address line 2: at most 32 letters without accents, digits, spaces or _-'.,/"
    ),
    "33": _lt(
        "invalid street (address line 3): at most 32 letters without accents, digits, spaces or "
        "_-'.,/; shorten the street"
    ),
    "34": _lt(
        "invalid street, second line (address line 4): at most 32 letters without accents, digits,"
        " spaces or _-'.,/"
    ),
    "35": _lt("invalid city: at most 26 letters, without digits"),
    "36": _lt("invalid postcode: fix the postcode of the address"),
    "37": _lt("invalid country: fix the country of the address"),
    "38": _lt(
        "invalid phone number: give an international (+33...) or national (0...) number; the "
        "sender's phone is required"
    ),
    "39": _lt("invalid e-mail address"),
    "40": _lt("missing parameters"),
    "42": _lt("invalid cash-on-delivery amount"),
    "43": _lt("invalid cash-on-delivery currency"),
    "44": _lt("invalid parcel value"),
    "45": _lt("invalid currency of the parcel value"),
    "46": _lt("expedition number range exhausted: contact Mondial Relay"),
    "47": _lt("invalid number of parcels"),
    "48": _lt(
        "several parcels cannot be delivered to a relay point: ship one parcel or deliver at home"
    ),
    "49": _lt("invalid action"),
    "60": _lt("invalid free text field"),
    "61": _lt("invalid notification flag"),
    "62": _lt("invalid delivery instructions"),
    "63": _lt("invalid insurance"),
    "67": _lt("invalid latitude"),
    "68": _lt("invalid longitude"),
    "69": _lt("invalid brand code"),
    "70": _lt("invalid relay point number"),
    "71": _lt("invalid point of sale type"),
    "74": _lt("invalid language"),
    "78": _lt("invalid collection country"),
    "79": _lt("invalid delivery country"),
    "92": _lt(
        "the recipient's country and the relay point's country differ: choose a relay point in the"
        " recipient's country"
    ),
    "93": _lt(
        "no routing found: check the postcode of the address, or that the relay point is open"
    ),
    "94": _lt("unknown parcel"),
    "95": _lt("brand account not activated: contact Mondial Relay"),
    "96": _lt("wrong brand type"),
    "97": _lt(
        "invalid security key: check the brand code and the private key in the carrier settings"
    ),
    "98": _lt("generic error (invalid parameters)"),
    "99": _lt("technical error of the service: try again later"),
}
RETRYABLE_STATS = frozenset({"99"})
# Tracking states of WSI2_TracingColisDetaille.
TRACKING_STATS = {
    "80": "label_created",
    "81": "in_transit",
    "82": "delivered",
    "83": "exception",
}
# Event labels (Libelle) to normalised stages, first match wins.
EVENT_STAGES = (
    ("RETOUR", "returned"),
    ("ANOMALIE", "exception"),
    ("LIVRE", "delivered"),
    ("DISPONIBLE", "out_for_delivery"),
    ("PRIS EN CHARGE", "picked_up"),
    ("PRISE EN CHARGE", "picked_up"),
    ("ENREGISTRE", "label_created"),
)
RELAY_MODES = frozenset({"24R", "24L", "24X"})
LANGUAGES = {"FR", "ES", "NL", "DE", "IT", "PT", "EN", "PL"}
COUNTRY_LANGUAGES = {"BE": "FR", "LU": "FR", "CH": "FR", "MC": "FR", "AT": "DE"}
# Dates in answers are in the carrier's local time.
CARRIER_TIMEZONE = ZoneInfo("Europe/Paris")
DAYS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")

# Published field formats: address lines (name, name complement, street, street
# complement) of 32 characters at most, cities of 26, e-mail addresses of 70.
LINE_LENGTH = 32
CITY_LENGTH = 26
_NOT_ADDRESS = re.compile(r"[^0-9A-Za-z_\-'., /]+")
_NOT_CITY = re.compile(r"[^A-Za-z_\-' ]+")
_NOT_DOSSIER = re.compile(r"[^0-9A-Z_ -]+")
_MAIL = re.compile(r"[0-9A-Za-z_\-.@+]{1,70}")


def address_line(value):
    """An address line as Mondial Relay reads it: ASCII letters, digits and _-'.,/."""
    return " ".join(_NOT_ADDRESS.sub(" ", to_ascii(value)).split())


def city_name(value):
    return " ".join(_NOT_CITY.sub(" ", to_ascii(value)).split())


def mail_address(value):
    """An e-mail address as Mondial Relay takes it (ASCII, its domain in IDNA, 70
    characters at most), or "" when it cannot be written so."""
    local, _at, domain = (value or "").strip().rpartition("@")
    try:
        address = f"{local}@{domain.encode('idna').decode()}" if local and domain else ""
    except UnicodeError:
        return ""
    return address if _MAIL.fullmatch(address) else ""


def language(country_code):
    code = (country_code or "").upper()
    code = COUNTRY_LANGUAGES.get(code, code)
    return code if code in LANGUAGES else "EN"


@functools.lru_cache(maxsize=8)
def parameter_order(operation, wsdl=str(WSDL)):
    """Names of ``operation``'s parameters, in the WSDL's element order."""
    element = load_wsdl(wsdl).types.get_element(f"{{{NAMESPACE}}}{operation}")
    return tuple(name for name, _element in element.type.elements)


def security_key(operation, params, private_key, wsdl=str(WSDL)):
    """The ``Security`` parameter of a call: MD5 (upper-case hex) of the non-empty
    values in element order, followed by the private key, encoded ISO-8859-1.

    A value ISO-8859-1 cannot write cannot be signed: a CarrierError names it."""
    values = [
        (name, str(params[name]))
        for name in parameter_order(operation, wsdl)
        if name not in ("Security", "Texte") and params.get(name) not in (None, "")
    ]
    for name, value in [*values, ("private key", private_key)]:
        try:
            value.encode("iso-8859-1")
        except UnicodeEncodeError as error:
            raise CarrierError(
                f"Mondial Relay signs requests in ISO-8859-1: the {name} has characters "
                "it cannot write, write it with other characters.",
                code=name,
            ) from error
    text = "".join(value for _name, value in values) + private_key
    return hashlib.md5(text.encode("iso-8859-1")).hexdigest().upper()


class MondialRelayConnector(CarrierConnector):
    name = "Mondial Relay"
    # No look-up by our reference exists: parse_lookup refuses to guess (see there).
    supports_lookup = True
    supports_label_download = True
    names_customer_at_pickup_point = True

    def __init__(
        self,
        *,
        brand,
        private_key,
        collection_mode="REL",
        delivery_mode="HOM",
        return_mode="LCC",
        label_size="A4",
        label_host="",
        messages=None,
        confirmed_not_created=False,
        **kwargs,
    ):
        super().__init__(secrets=(private_key,), **kwargs)
        self.brand = brand
        self.private_key = private_key
        self.collection_mode = collection_mode
        self.delivery_mode = delivery_mode
        self.return_mode = return_mode
        self.label_size = label_size
        self.label_host = label_host
        self.messages = {**STAT_MESSAGES, **(messages or {})}
        self.confirmed_not_created = confirmed_not_created

    # Calls ----------------------------------------------------------------------

    def call(self, operation, params, deadline=None, idempotent=True):
        """Sign and send ``operation``; the answer's ``...Result`` as plain data."""
        params = {"Enseigne": self.brand, **params}
        params["Security"] = security_key(operation, params, self.private_key)
        client = self.soap_client(str(WSDL))
        return client.call(operation, deadline=deadline, idempotent=idempotent, **params) or {}

    def error(self, stat, what=""):
        stat = str(stat or "").strip() or "?"
        message = self.messages.get(stat) or f"unexpected answer STAT {stat}"
        prefix = f"{self.name} {what} refused" if what else f"{self.name} refused the request"
        return CarrierError(
            f"{prefix} (STAT {stat}): {message}.",
            code=stat,
            retryable=stat in RETRYABLE_STATS,
        )

    def check(self, answer, what="", accepted=("0",)):
        stat = str((answer or {}).get("STAT") or "").strip()
        if not stat:
            raise CarrierUnreadable(
                f"{self.name} answered without a STAT code: the {what or 'request'} may "
                "have been carried out."
            )
        if stat not in accepted:
            raise self.error(stat, what)
        return stat

    # Shipments ------------------------------------------------------------------

    def _delivery_mode(self, request, kind):
        if kind == "return":
            return self.return_mode
        if request.pickup_point:
            return self.relay_mode
        if self.delivery_mode in RELAY_MODES:
            raise CarrierError(
                f"{self.name} delivers {request.reference} to a relay point: choose the "
                "relay point of the order before creating the label.",
                code="LIV_Rel",
            )
        return self.delivery_mode

    @property
    def relay_mode(self):
        """The relay delivery mode: the carrier's, or standard relay delivery."""
        return self.delivery_mode if self.delivery_mode in RELAY_MODES else "24R"

    def label_params(self, request, reference, kind="outbound"):
        """The parameters of WSI2_CreationEtiquette for ``request``."""
        sender, recipient = request.sender, request.recipient
        mode = self._delivery_mode(request, kind)
        grams = max(round(request.weight * 1000), 1)
        params = {
            "ModeCol": self.collection_mode if kind == "outbound" else "REL",
            "ModeLiv": mode,
            "NDossier": _NOT_DOSSIER.sub("-", (reference or "").upper())[-15:],
            "Expe_Langage": language(sender.country_code),
            **self._prepare_address("Expe", sender),
            "Dest_Langage": language(recipient.country_code),
            **self._prepare_address("Dest", recipient),
            "Poids": str(grams),
            "NbColis": str(len(request.parcels) or 1),
            "CRT_Valeur": "0",
            "CRT_Devise": "EUR",
            # Mondial Relay takes values in euros only.
            "Exp_Devise": "EUR",
        }
        if kind == "return" and not params.get("Expe_Tel1"):
            # The sender's phone is required: a customer without one is reached
            # through the merchant.
            params["Expe_Tel1"] = params.get("Dest_Tel1", "")
        if params["ModeCol"] == "REL":
            params.update(COL_Rel_Pays=sender.country_code, COL_Rel="AUTO")
        if mode in RELAY_MODES:
            params.update(LIV_Rel_Pays=recipient.country_code, LIV_Rel=request.pickup_point)
        return {name: value for name, value in params.items() if value not in (None, "")}

    def _prepare_address(self, prefix, address):
        """The ``<prefix>_...`` parameters of ``address``, in the published formats: a
        name or street too long for its line goes on to the next one, cut between
        words; a city too long is cut; an e-mail address the carrier cannot take is
        left out."""
        name, name2 = wrap([address_line(address.name)], LINE_LENGTH, 2)
        street, street2 = wrap(
            [address_line(address.street), address_line(address.street2)], LINE_LENGTH, 2
        )
        mail = mail_address(address.email)
        if address.email and not mail:
            self.logger.warning(
                "%s takes e-mail addresses in ASCII of 70 characters at most: the one of "
                "%s is left out.",
                self.name,
                address.name,
            )
        return {
            f"{prefix}_Ad1": name,
            f"{prefix}_Ad2": name2,
            f"{prefix}_Ad3": street,
            f"{prefix}_Ad4": street2,
            f"{prefix}_Ville": fit(city_name(address.city), CITY_LENGTH),
            f"{prefix}_CP": to_ascii(address.zip).strip().upper(),
            f"{prefix}_Pays": (address.country_code or "").upper(),
            f"{prefix}_Tel1": phone_number(address.phone),
            f"{prefix}_Mail": mail,
        }

    def _create(self, request, reference, kind, deadline):
        answer = self.call(
            "WSI2_CreationEtiquette",
            self.label_params(request, reference, kind),
            deadline=deadline,
            # Mondial Relay does not deduplicate: never resend what it may have done.
            idempotent=False,
        )
        raw = {"answer": answer, "label": b"", "label_error": ""}
        if str(answer.get("STAT") or "").strip() == "0" and answer.get("URL_Etiquette"):
            raw.update(self._download(answer["URL_Etiquette"], deadline))
        return raw

    def _download(self, relative_url, deadline):
        """The PDF at a label address: {"label": bytes} or {"label_error": text}."""
        try:
            response = self.http_client(base_url="").request(
                "GET", self.label_url(relative_url), deadline=deadline
            )
        except CarrierError as error:
            return {"label_error": str(error)}
        if response.ok and response.content.startswith(b"%PDF"):
            return {"label": response.content}
        return {"label_error": f"HTTP {response.status}"}

    def request_label(self, carrier_reference, deadline=None):
        """The label of an existing expedition (WSI3_GetEtiquettes), downloaded."""
        answer = self.call(
            "WSI3_GetEtiquettes",
            {"Expeditions": carrier_reference, "Langue": "FR"},
            deadline=deadline,
        )
        raw = {"answer": answer, "label": b"", "label_error": ""}
        url = answer.get(f"URL_PDF_{self.label_size}") or answer.get("URL_PDF_A4")
        if str(answer.get("STAT") or "").strip() == "0" and url:
            raw.update(self._download(url, deadline))
        return raw

    def parse_label(self, raw):
        """The label's PDF, or a CarrierError."""
        self.check(raw["answer"], "label download")
        if raw.get("label_error") or not raw.get("label"):
            raise CarrierError(
                f"{self.name}: the label could not be downloaded "
                f"({raw.get('label_error') or 'no address'}): try again later.",
                code="LABEL",
                retryable=True,
            )
        return raw["label"]

    def label_url(self, relative_url):
        """The absolute URL of a label, in the configured size (A4, A5 or 10x15)."""
        host = self.label_host or self.endpoint or LABEL_HOST
        parts = urlsplit(urljoin(host, relative_url))
        query = [
            (key, self.label_size if key.lower() == "format" and self.label_size else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        return urlunsplit(parts._replace(query=urlencode(query)))

    def _result(self, raw, what):
        answer = raw["answer"]
        self.check(answer, what)
        expedition = str(answer.get("ExpeditionNum") or "").strip()
        if not expedition:
            raise CarrierUnreadable(
                f"{self.name} accepted the {what} but answered no expedition number."
            )
        if raw.get("label_error"):
            self.logger.warning(
                "%s: expedition %s created, its label could not be fetched: %s",
                self.name,
                expedition,
                raw["label_error"],
            )
        return ShipmentResult(
            carrier_reference=expedition,
            tracking_number=expedition,
            label=raw.get("label") or b"",
            label_format="pdf",
            tracking_url=self.tracking_url(expedition),
        )

    def request_shipment(self, request, reference, deadline=None):
        return self._create(request, reference, "outbound", deadline)

    def parse_shipment(self, request, raw):
        return self._result(raw, "label creation")

    def request_return(self, request, reference, original_tracking, deadline=None):
        return self._create(request, reference, "return", deadline)

    def parse_return(self, request, raw):
        return self._result(raw, "return label creation")

    def request_lookup(self, reference, deadline=None):
        return reference

    def parse_lookup(self, raw):
        """Mondial Relay cannot find a shipment by our reference. After an attempt
        without answer, the label may exist: sending again could ship twice, so this
        refuses until someone checked and confirmed no expedition was created."""
        if self.confirmed_not_created:
            return
        raise CarrierError(
            f"{self.name} may have created the expedition of {raw} although no answer "
            "came back, and it offers no look-up by reference: look for the file number "
            f"(NDossier) {_NOT_DOSSIER.sub('-', str(raw).upper())[-15:]} in the Mondial "
            "Relay Connect space, then confirm it was not created before sending again.",
            code="OUTCOME_UNKNOWN",
            outcome_unknown=True,
        )

    # Tracking -------------------------------------------------------------------

    def request_tracking(self, tracking_numbers, deadline=None):
        """One call per expedition (the service takes one at a time)."""
        answers = []
        for tracking_number in tracking_numbers:
            try:
                answer = self.call(
                    "WSI2_TracingColisDetaille",
                    {"Expedition": tracking_number, "Langue": "FR"},
                    deadline=deadline,
                )
            except CarrierError as error:
                if not answers:
                    raise
                answer = {"error": error}
            answers.append((tracking_number, answer))
        return answers

    def parse_tracking(self, raw):
        events = []
        for tracking_number, answer in raw:
            if answer.get("error"):
                self.logger.warning("%s: tracking %s: %s", self.name, tracking_number, answer)
                continue
            stat = str(answer.get("STAT") or "").strip()
            if stat not in TRACKING_STATS:
                if len(raw) == 1:
                    raise self.error(stat, "tracking")
                self.logger.warning("%s: tracking %s: STAT %s", self.name, tracking_number, stat)
                continue
            events += self.tracking_events(tracking_number, answer)
        return events

    def tracking_events(self, tracking_number, answer):
        """The events of one expedition; the latest takes the answer's state when
        that state is final (delivered, anomaly)."""
        items = ((answer.get("Tracing") or {}).get("ret_WSI2_sub_TracingColisDetaille")) or []
        events = []
        for item in filter(None, items):
            label = item.get("Libelle") or ""
            date = self._event_date(item)
            if not label.strip() or not date:
                continue
            events.append(
                TrackingEvent(
                    uid=f"{tracking_number}-{date:%Y%m%d%H%M}-{label.strip()[:40]}",
                    tracking_number=tracking_number,
                    stage=self._event_stage(label),
                    date=date,
                    code=str(answer.get("STAT") or "").strip(),
                    description=label.strip(),
                    location=(item.get("Emplacement") or "").strip(),
                    extra={"relay": (item.get("Relais_Num") or "").strip()},
                )
            )
        state = TRACKING_STATS[str(answer.get("STAT")).strip()]
        if events and state in ("delivered", "exception") and events[-1].stage != state:
            last = events[-1]
            events[-1] = TrackingEvent(**{**last.__dict__, "stage": state})
        return events

    @staticmethod
    def _event_stage(label):
        text = to_ascii(label).upper()
        for keyword, stage in EVENT_STAGES:
            if keyword in text:
                return stage
        return "in_transit"

    @staticmethod
    def _event_date(item):
        """Naive UTC datetime of an event given in French time (``dd/mm/yy`` or
        ``dd/mm/yyyy``, ``HH:MM``)."""
        day = (item.get("Date") or "").strip()
        hour = (item.get("Heure") or "").strip() or "00:00"
        for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%y %H:%M"):
            try:
                moment = datetime.strptime(f"{day} {hour}", pattern)
            except ValueError:
                continue
            moment = moment.replace(tzinfo=CARRIER_TIMEZONE).astimezone(timezone.utc)
            return moment.replace(tzinfo=None)
        return None

    def tracking_url(self, tracking_number):
        query = urlencode({"ens": self.brand, "exp": tracking_number, "language": "fr"})
        return f"{TRACKING_PAGE}?{query}"

    # Relay points ---------------------------------------------------------------

    def request_relay_points(
        self, country_code, zip_code="", city="", weight=0.0, count=10, deadline=None
    ):
        params = {
            "Pays": (country_code or "").upper(),
            "Ville": city_name(city) if not zip_code else "",
            "CP": (zip_code or "").strip().upper(),
            "Poids": str(round(weight * 1000)) if weight else "",
            "Action": self.relay_mode,
            "NombreResultats": count,
        }
        return self.call(
            "WSI4_PointRelais_Recherche",
            {key: value for key, value in params.items() if value not in (None, "")},
            deadline=deadline,
        )

    def request_relay_point(self, country_code, point, deadline=None):
        return self.call(
            "WSI4_PointRelais_Recherche",
            {"Pays": (country_code or "").upper(), "NumPointRelais": point},
            deadline=deadline,
        )

    def parse_relay_points(self, raw):
        """Relay points as plain dicts: id, name, street, zip, city, country_code,
        latitude, longitude, distance (m), opening_hours ({weekday 0-6: [ranges]})."""
        self.check(raw, "relay point search")
        points = ((raw.get("PointsRelais") or {}).get("PointRelais_Details")) or []
        return [self._relay_point(point) for point in points if point and point.get("Num")]

    @staticmethod
    def _relay_point(point):
        def text(name):
            return (point.get(name) or "").strip()

        hours = {}
        for index, day in enumerate(DAYS):
            slots = ((point.get(f"Horaires_{day}") or {}).get("string")) or []
            slots = [(slot or "0000").strip() for slot in slots]
            hours[str(index)] = [
                f"{start[:2]}:{start[2:]} - {end[:2]}:{end[2:]}"
                for start, end in zip(slots[::2], slots[1::2], strict=False)
                if start != "0000" or end != "0000"
            ]
        street = " ".join(filter(None, (text("LgAdr3"), text("LgAdr4"))))
        return {
            "id": text("Num"),
            "name": " ".join(filter(None, (text("LgAdr1"), text("LgAdr2")))),
            "street": street,
            "zip": text("CP"),
            "city": text("Ville"),
            "country_code": text("Pays"),
            "latitude": decimal(point.get("Latitude")),
            "longitude": decimal(point.get("Longitude")),
            "distance": int(decimal(point.get("Distance"))),
            "opening_hours": hours,
            "information": text("Information"),
        }
