"""Mondial Relay's web services (``Web_Services.asmx``) as a local server.

Requests are checked the way the carrier does: the SOAPAction header, the body
against the service's schema (element names, order, types), the brand and its
security key (signed in ISO-8859-1), then each field's published format: lengths and
ASCII characters (STAT 30 to 39 for addresses, 20 for weights, 93 for postcodes
without routing, 92 for a relay point abroad...). Answers are
shaped like the carrier's: ``STAT`` codes, expedition numbers, label URLs relative
to the host (served here as PDF), relay points with padded texts and decimal commas,
detailed tracking.
"""

import hashlib
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

WSDL = Path(__file__).resolve().parents[2] / "static" / "wsdl" / "mondialrelay.wsdl"
NAMESPACE = "http://www.mondialrelay.fr/webservice/"
DEMO_ACCOUNTS = {"BDTEST13": "TestAPI1key"}
FIRST_EXPEDITION = 50554859
PARIS = ZoneInfo("Europe/Paris")

# Field formats of WSI2_CreationEtiquette and the STAT answered when one is wrong.
ADDRESS = r"[0-9A-Za-z_\-'., /]"
PHONE = r"(?:(?:00|\+)[1-9][0-9]{5,15}|0[1-9][0-9]{8})"
MAIL = r"[0-9A-Za-z_\-.@+]{0,70}"
LABEL_FORMATS = {
    "ModeCol": (r"CCC|CDR|CDS|REL", "28"),
    "ModeLiv": (r"LCC|LD1|LDS|24R|24L|24X|ESP|DRI|HOM", "29"),
    "NDossier": (r"[0-9A-Z_ -]{0,15}", "5"),
    "NClient": (r"[0-9A-Z]{0,9}", "7"),
    "Expe_Langage": (r"[A-Z]{2}", "74"),
    "Expe_Ad1": (rf"{ADDRESS}{{2,32}}", "30"),
    "Expe_Ad2": (rf"{ADDRESS}{{0,32}}", "31"),
    "Expe_Ad3": (rf"{ADDRESS}{{2,32}}", "33"),
    "Expe_Ad4": (rf"{ADDRESS}{{0,32}}", "34"),
    "Expe_Ville": (r"[A-Za-z_\-' ]{2,26}", "35"),
    "Expe_CP": (r"[0-9A-Za-z -]{2,10}", "36"),
    "Expe_Pays": (r"[A-Z]{2}", "37"),
    "Expe_Tel1": (PHONE, "38"),
    "Expe_Tel2": (rf"{PHONE}?", "38"),
    "Expe_Mail": (MAIL, "39"),
    "Dest_Langage": (r"[A-Z]{2}", "74"),
    "Dest_Ad1": (rf"{ADDRESS}{{2,32}}", "30"),
    "Dest_Ad2": (rf"{ADDRESS}{{0,32}}", "31"),
    "Dest_Ad3": (rf"{ADDRESS}{{2,32}}", "33"),
    "Dest_Ad4": (rf"{ADDRESS}{{0,32}}", "34"),
    "Dest_Ville": (r"[A-Za-z_\-' ]{2,26}", "35"),
    "Dest_CP": (r"[0-9A-Za-z -]{2,10}", "36"),
    "Dest_Pays": (r"[A-Z]{2}", "37"),
    "Dest_Tel1": (rf"{PHONE}?", "38"),
    "Dest_Tel2": (rf"{PHONE}?", "38"),
    "Dest_Mail": (MAIL, "39"),
    "Poids": (r"[0-9]{2,7}", "20"),
    "Longueur": (r"[0-9]{0,3}", "21"),
    "NbColis": (r"[0-9]{1,2}", "47"),
    "CRT_Valeur": (r"[0-9]{1,7}", "42"),
    "CRT_Devise": (r"|EUR", "43"),
    "Exp_Valeur": (r"[0-9]{0,7}", "44"),
    "Exp_Devise": (r"|EUR", "45"),
    "COL_Rel_Pays": (r"[A-Z]{2}", "12"),
    "COL_Rel": (r"[0-9]{6}|AUTO", "11"),
    "LIV_Rel_Pays": (r"[A-Z]{2}", "15"),
    "LIV_Rel": (r"[0-9]{6}", "14"),
}
REQUIRED = ("ModeCol", "ModeLiv", "Expe_Ad1", "Expe_Ad3", "Expe_Ville", "Expe_CP")
REQUIRED += ("Expe_Pays", "Expe_Tel1", "Dest_Ad1", "Dest_Ad3", "Dest_Ville", "Dest_CP")
REQUIRED += ("Dest_Pays", "Poids", "NbColis", "CRT_Valeur")
POSTCODES = {"FR": r"(?!00)\d{5}", "BE": r"[1-9]\d{3}", "LU": r"\d{4}", "ES": r"\d{5}"}
POSTCODES.update({"NL": r"\d{4} ?[A-Z]{2}", "DE": r"\d{5}", "PT": r"\d{4}-?\d{3}"})
MAX_GRAMS = {"24R": 30000, "24L": 50000, "HOM": 30000, "LD1": 60000, "LDS": 130000}
RELAY_NAMES = ("TABAC DE LA MAIRIE", "LOCKER GARE", "LIBRAIRIE DU CENTRE", "PRESSING")
RELAY_NAMES += ("EPICERIE DU MARCHE", "LOCKER 24/7 PARKING", "FLEURISTE", "CAVISTE")
# A parcel's life: (hours after creation, STAT, event label).
LIFE = (
    (0, "80", "COLIS ENREGISTRE PAR L'EXPEDITEUR"),
    (20, "81", "PRISE EN CHARGE EN AGENCE"),
    (30, "81", "COLIS EN COURS D'ACHEMINEMENT"),
    (44, "81", "DISPONIBLE AU POINT RELAIS"),
    (60, "82", "COLIS LIVRE AU DESTINATAIRE"),
)


def security_key(values, private_key):
    """The service reads the values in ISO-8859-1: a character it cannot write counts
    as "?", so a request signed with it cannot match (STAT 97)."""
    text = "".join(value for _name, value in values if value)
    return hashlib.md5((text + private_key).encode("iso-8859-1", "replace")).hexdigest().upper()


class MondialRelayServer(SoapFakeServer):
    """``accounts`` maps brand codes (Enseigne) to private keys."""

    stores = ("expeditions", "points")

    def __init__(self, accounts=None, **kwargs):
        super().__init__(**kwargs)
        self.accounts = dict(DEMO_ACCOUNTS if accounts is None else accounts)
        self.schema, _namespace = wsdl_schema(WSDL)
        self._numbers = itertools.count(FIRST_EXPEDITION)

    @property
    def endpoint(self):
        return f"{self.url}/Web_Services.asmx"

    # Protocol -------------------------------------------------------------------

    @route("POST", r"/.*")
    def soap(self, request):
        action = (request.header("SOAPAction") or "").strip('"')
        try:
            root = etree.fromstring(request.body)
            operation = root.xpath("//*[local-name()='Body']/*")[0]
        except (etree.XMLSyntaxError, IndexError):
            return self.fault("soap:Client", "Request format is invalid: bad XML.")
        expected = NAMESPACE + etree.QName(operation).localname
        if action != expected:
            return self.fault(
                "soap:Client",
                f"Server did not recognize the value of HTTP Header SOAPAction: {action}.",
            )
        if not self.schema.validate(etree.fromstring(etree.tostring(operation))):
            error = self.schema.error_log.last_error
            return self.fault(
                "soap:Client",
                f"Server was unable to read request. There is an error in XML document "
                f"({error.line}, {error.column}): {escape(error.message)}",
            )
        return super().soap(request)

    @staticmethod
    def values(element):
        """(name, text) of the operation's parameters, in the order received."""
        result = []
        for child in element:
            nil = child.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
            result.append((etree.QName(child).localname, "" if nil else (child.text or "")))
        return result

    def authenticate(self, values):
        """The STAT of a failed authentication, or None."""
        params = dict(values)
        brand = params.get("Enseigne") or ""
        if not re.fullmatch(r"[0-9A-Z]{2}[0-9A-Z ]{6}", brand) or brand not in self.accounts:
            return "2"
        signed = [(name, value) for name, value in values if name not in ("Security", "Texte")]
        if params.get("Security") != security_key(signed, self.accounts[brand]):
            return "97"
        return None

    def answer(self, operation, body):
        return self.envelope(
            f'<{operation}Response xmlns="{NAMESPACE}"><{operation}Result>{body}'
            f"</{operation}Result></{operation}Response>"
        )

    # Labels ---------------------------------------------------------------------

    @soap_operation("WSI2_CreationEtiquette")
    def create_label(self, request, element):
        values = self.values(element)
        stat = self.authenticate(values) or self.check_label(dict(values))
        stat = stat or self.next_outage()
        if stat == "fault":
            return self.fault(
                "soap:Server",
                "Server was unable to process request. ---&gt; Object reference not set to "
                "an instance of an object.",
            )
        if stat:
            return self.answer("WSI2_CreationEtiquette", f"<STAT>{stat}</STAT>")
        params = dict(values)
        with self._data_lock:
            number = str(next(self._numbers))
            crc = hashlib.md5(f"{number}{params['Enseigne']}".encode()).hexdigest().upper()
            self.expeditions[number] = {
                "params": params,
                "created": datetime.now(PARIS).replace(second=0, microsecond=0, tzinfo=None),
                "crc": crc,
                "events": None,
            }
        url = (
            f"/ww2/PDF/StickerMaker2.aspx?ens={params['Enseigne']}11&amp;expedition={number}"
            f"&amp;lg={params.get('Expe_Langage') or 'FR'}&amp;format=A4&amp;crc={crc}"
        )
        return self.answer(
            "WSI2_CreationEtiquette",
            f"<STAT>0</STAT><ExpeditionNum>{number}</ExpeditionNum>"
            f"<URL_Etiquette>{url}</URL_Etiquette>",
        )

    def check_label(self, params):
        """The STAT of the first invalid field, or None."""
        for name in REQUIRED:
            if not params.get(name):
                return LABEL_FORMATS.get(name, ("", "40"))[1]
        for name, (pattern, stat) in LABEL_FORMATS.items():
            if name in params and not re.fullmatch(pattern, params[name]):
                return stat
        mode = params["ModeLiv"]
        grams = int(params["Poids"])
        if grams < 15 or grams > MAX_GRAMS.get(mode, 30000):
            return "20"
        if mode in ("24R", "24L", "24X"):
            if not params.get("LIV_Rel") or not params.get("LIV_Rel_Pays"):
                return "14"
            if params["LIV_Rel_Pays"] != params["Dest_Pays"]:
                return "92"
            if int(params["NbColis"]) > 1:
                return "48"
        for role in ("Expe", "Dest"):
            pattern = POSTCODES.get(params[f"{role}_Pays"])
            if pattern and not re.fullmatch(pattern, params[f"{role}_CP"].upper()):
                return "93"
        return None

    @soap_operation("WSI3_GetEtiquettes")
    def get_labels(self, request, element):
        values = self.values(element)
        stat = self.authenticate(values)
        numbers = [n for n in (dict(values).get("Expeditions") or "").split(";") if n]
        if not stat and (not numbers or any(not re.fullmatch(r"\d{8}", n) for n in numbers)):
            stat = "24"
        if not stat and any(n not in self.expeditions for n in numbers):
            stat = "94"
        if stat:
            return self.answer("WSI3_GetEtiquettes", f"<STAT>{stat}</STAT>")
        expedition = self.expeditions[numbers[0]]
        brand = expedition["params"]["Enseigne"]
        urls = "".join(
            f"<URL_PDF_{size}>/ww2/PDF/StickerMaker2.aspx?ens={brand}11&amp;expedition="
            f"{';'.join(numbers)}&amp;lg=FR&amp;format={size}&amp;crc={expedition['crc']}"
            f"</URL_PDF_{size}>"
            for size in ("A4", "A5", "10x15")
        )
        return self.answer("WSI3_GetEtiquettes", f"<STAT>0</STAT>{urls}")

    @route("GET", r"/ww2/PDF/StickerMaker2\.aspx")
    def label(self, request):
        number = (request.query.get("expedition") or "").split(";")[0]
        expedition = self.expeditions.get(number)
        if not expedition or request.query.get("crc") != expedition["crc"]:
            return self.raw("<html><body>Etiquette introuvable</body></html>", 404, "text/html")
        params = expedition["params"]
        relay = params.get("LIV_Rel")
        lines = [
            "MONDIAL RELAY",
            f"{number} {params['ModeLiv']}",
            params["Dest_Ad1"],
            f"{params['Dest_CP']} {params['Dest_Ville']} {params['Dest_Pays']}",
            f"POINT RELAIS {relay}" if relay else params["Dest_Ad3"],
            f"FORMAT {request.query.get('format') or 'A4'}",
        ]
        return self.raw(minimal_pdf(lines), 200, "application/pdf")

    # Tracking -------------------------------------------------------------------

    def set_events(self, number, events):
        """Replace the life of expedition ``number`` by ``events``: (naive datetime in
        French time, STAT, label) tuples."""
        self.expeditions[number]["events"] = list(events)

    def events_of(self, number):
        return parcel_events(self.expeditions[number], LIFE, PARIS)

    @soap_operation("WSI2_TracingColisDetaille")
    def tracing(self, request, element):
        values = self.values(element)
        stat = self.authenticate(values)
        number = dict(values).get("Expedition") or ""
        if not stat and not re.fullmatch(r"\d{8}", number):
            stat = "24"
        if not stat and number not in self.expeditions:
            stat = "94"
        if stat:
            return self.answer("WSI2_TracingColisDetaille", f"<STAT>{stat}</STAT>")
        events = self.events_of(number)
        expedition = self.expeditions[number]
        relay = expedition["params"].get("LIV_Rel") or ""
        items = "".join(
            f"<ret_WSI2_sub_TracingColisDetaille><Libelle>{escape(label)}</Libelle>"
            f"<Date>{moment:%d/%m/%y}</Date><Heure>{moment:%H:%M}</Heure>"
            f"<Emplacement>{'LYON' if index else ''}</Emplacement>"
            f"<Relais_Num>{relay if 'RELAIS' in label else ''}</Relais_Num>"
            f"<Relais_Pays>{'FR' if relay and 'RELAIS' in label else ''}</Relais_Pays>"
            f"</ret_WSI2_sub_TracingColisDetaille>"
            for index, (moment, _stat, label) in enumerate(events)
        )
        # The service pads the list with empty items.
        items += "<ret_WSI2_sub_TracingColisDetaille />" * max(0, 10 - len(events))
        current = events[-1][1] if events else "80"
        return self.answer(
            "WSI2_TracingColisDetaille",
            f"<STAT>{current}</STAT><Libelle01>{escape(events[-1][2]) if events else ''}"
            f"</Libelle01><Relais_Libelle /><Relais_Num>{relay}</Relais_Num><Libelle02 />"
            f"<Tracing>{items}</Tracing>",
        )

    # Relay points ---------------------------------------------------------------

    def relay_points(self, country, zip_code):
        """Eight relay points around ``zip_code``, the same on every call."""
        seed = int(hashlib.md5(f"{country}{zip_code}".encode()).hexdigest()[:5], 16) % 997
        points = [
            self.relay_point(country, f"{seed:03d}{index:03d}", zip_code)
            for index in range(len(RELAY_NAMES))
        ]
        with self._data_lock:
            self.points.update({(country, point["Num"]): point for point in points})
        return points

    def relay_point(self, country, num, zip_code):
        index = int(num[-3:]) % len(RELAY_NAMES)
        name = RELAY_NAMES[index]
        return {
            "Num": num,
            "LgAdr1": name,
            "LgAdr3": f"{index * 4 + 2} RUE DE LA REPUBLIQUE",
            "CP": zip_code,
            "Ville": "VILLE " + zip_code,
            "Pays": country,
            "Latitude": f"{45.70 + index * 0.01:.7f}".replace(".", ","),
            "Longitude": f"{4.80 + index * 0.01:.7f}".replace(".", ",").zfill(10),
            "Information": "LOCKER" if "LOCKER" in name else "",
            "Distance": str(400 + 650 * index),
            "locker": "LOCKER" in name,
        }

    def find_point(self, country, num):
        """The relay point ``num`` (one handed out by a search, or a new one)."""
        return self.points.get((country, num)) or self.relay_point(country, num, "69100")

    @staticmethod
    def _point_xml(point, distance=None):
        def pad(value, width):
            return escape(value.ljust(width))

        hours = (
            ("0001", "2359", "0000", "0000")
            if point["locker"]
            else (
                "0900",
                "1230",
                "1400",
                "1900",
            )
        )
        days = "".join(
            f"<Horaires_{day}>{''.join(f'<string>{h}</string>' for h in hours)}</Horaires_{day}>"
            if day != "Dimanche"
            else f"<Horaires_{day}>{'<string>0000</string>' * 4}</Horaires_{day}>"
            for day in ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
        )
        information = (
            f"<Information>{point['Information']}</Information>"
            if point["Information"]
            else "<Information />"
        )
        return (
            f"<PointRelais_Details><STAT /><Num>{point['Num']}</Num>"
            f"<LgAdr1>{pad(point['LgAdr1'], 31)}</LgAdr1><LgAdr2 />"
            f"<LgAdr3>{pad(point['LgAdr3'], 31)}</LgAdr3><LgAdr4 />"
            f"<CP>{point['CP']}</CP><Ville>{pad(point['Ville'], 26)}</Ville>"
            f"<Pays>{point['Pays']}</Pays><Localisation1 /><Localisation2 />"
            f"<Latitude>{point['Latitude']}</Latitude><Longitude>{point['Longitude']}</Longitude>"
            f"<TypeActivite>000</TypeActivite>{information}{days}<Informations_Dispo />"
            f"<URL_Photo>https://ww2.mondialrelay.com/public/permanent/photo_relais.aspx?"
            f"num={point['Num']}&amp;pays={point['Pays']}</URL_Photo>"
            f"<URL_Plan>https://ww2.mondialrelay.com/public/permanent/plan_relais.aspx?"
            f"num={point['Num']}&amp;pays={point['Pays']}</URL_Plan>"
            f"<Distance>{point['Distance'] if distance is None else distance}</Distance>"
            f"</PointRelais_Details>"
        )

    @soap_operation("WSI4_PointRelais_Recherche")
    def search_points(self, request, element):
        values = self.values(element)
        params = dict(values)
        stat = self.authenticate(values)
        country = params.get("Pays") or ""
        zip_code = (params.get("CP") or "").upper()
        num = params.get("NumPointRelais") or ""
        if not stat and not re.fullmatch(r"[A-Z]{2}", country):
            stat = "37"
        if not stat and not num and not zip_code and not params.get("Latitude"):
            stat = "40"
        pattern = POSTCODES.get(country)
        if not stat and zip_code and pattern and not re.fullmatch(pattern, zip_code):
            stat = "36"
        if not stat and num and not re.fullmatch(r"\d{6}", num):
            stat = "70"
        if stat:
            return self.answer("WSI4_PointRelais_Recherche", f"<STAT>{stat}</STAT>")
        if num:
            xml = self._point_xml(self.find_point(country, num), 0)
        else:
            count = int(params.get("NombreResultats") or 0) or 10
            points = self.relay_points(country, zip_code)[:count]
            xml = "".join(self._point_xml(point) for point in points)
        return self.answer(
            "WSI4_PointRelais_Recherche",
            f"<STAT>0</STAT><PointsRelais>{xml}</PointsRelais>",
        )
