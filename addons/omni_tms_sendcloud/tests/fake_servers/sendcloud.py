"""Sendcloud's API v2 as a local server (see connector/sendcloud.py).

The panel API is served under ``/api/v2`` and the service-points API under
``/servicepoints/api/v2``. Requests are checked as Sendcloud does: HTTP Basic
authentication (``public_key:secret_key``), the ``{"parcel": {...}}`` envelope, required
fields, fields that may not be blank (e-mail), field lengths, postcode formats, weights
within the shipping method, unique ``external_reference``; errors come back as
``{"error": {"code", "message", "request"}}`` and rate limiting as an empty HTTP 429.
"""

import base64
import itertools
import json
import re
import time
from datetime import datetime, timezone

from odoo.addons.omni_tms.tests.fake_servers import FakeResponse, FakeServer, minimal_pdf, route

API = r"/api/v2"
SERVICE_POINTS_API = r"/servicepoints/api/v2"
REQUIRED_FIELDS = ("name", "address", "city", "postal_code", "country")
# Fields the published schema gives a minimum length of 1: present, they may not be blank.
NOT_BLANK = ("email", "country", "weight")
MAX_LENGTHS = {
    "name": 75,
    "company_name": 50,
    "address": 75,
    "address_2": 75,
    "house_number": 20,
    "city": 30,
    "postal_code": 12,
    "telephone": 20,
    "email": 254,
    "order_number": 35,
    "external_reference": 255,
    "from_name": 75,
    "from_address_1": 75,
    "from_address_2": 75,
    "from_city": 30,
    "from_postal_code": 12,
}
POSTCODE_FORMATS = {
    "FR": r"\d{5}",
    "DE": r"\d{5}",
    "IT": r"\d{5}",
    "ES": r"\d{5}",
    "BE": r"\d{4}",
    "NL": r"\d{4} ?[A-Z]{2}",
}
COUNTRIES = {
    "FR": (1, "France", "FRA"),
    "BE": (3, "Belgium", "BEL"),
    "NL": (2, "Netherlands", "NLD"),
    "DE": (4, "Germany", "DEU"),
    "IT": (5, "Italy", "ITA"),
    "ES": (6, "Spain", "ESP"),
}
# (id, name, carrier, min kg, max kg, service point input, {country: (price, hours)})
SHIPPING_METHODS = [
    (1001, "Colissimo Home 0-2kg", "colissimo", 0.001, 2.001, "none",
     {"FR": (6.95, 48), "BE": (12.5, 72), "NL": (13.9, 72), "DE": (13.9, 72), "IT": (14.9, 96)}),
    (1002, "Colissimo Home 2-5kg", "colissimo", 2.001, 5.001, "none",
     {"FR": (8.95, 48), "BE": (16.5, 72), "NL": (17.9, 72), "DE": (17.9, 72), "IT": (18.9, 96)}),
    (1003, "Colissimo Home 5-30kg", "colissimo", 5.001, 30.001, "none",
     {"FR": (14.5, 48), "BE": (24.0, 72), "NL": (26.0, 72), "DE": (26.0, 72), "IT": (29.0, 96)}),
    (2001, "Mondial Relay Point Relais 0-20kg", "mondial_relay", 0.001, 20.001, "required",
     {"FR": (4.4, 72), "BE": (4.9, 96), "ES": (5.9, 120)}),
]  # fmt: skip
SERVICE_POINTS = [
    # (id, code, carrier, name, street, house number, postcode, city, country, lat, long)
    (10875349, "020401", "mondial_relay", "Tabac de la Mairie", "Rue de la Roquette", "112",
     "75011", "PARIS", "FR", "48.858370", "2.380330"),
    (10875350, "020402", "mondial_relay", "Pressing Oberkampf", "Rue Oberkampf", "58",
     "75011", "PARIS", "FR", "48.865500", "2.375400"),
    (10875351, "069801", "mondial_relay", "Supérette du Dauphiné", "Rue du Dauphiné", "3",
     "69800", "SAINT-PRIEST", "FR", "45.696500", "4.944100"),
    (10875352, "217165", "postnl", "Media Markt Eindhoven Centrum", "Boschdijktunnel", "1",
     "5611 AG", "EINDHOVEN", "NL", "51.441444", "5.475185"),
]  # fmt: skip
OPENING_TIMES = {
    str(day): (["09:00 - 12:30", "14:00 - 19:00"] if day < 6 else []) for day in range(7)
}


def sendcloud_timestamp():
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


class SendcloudServer(FakeServer):
    """``accounts`` maps public keys to secret keys; None accepts any pair of keys
    (demo mode)."""

    stores = ("parcels", "statuses", "_hits")

    def __init__(self, accounts=None, **kwargs):
        super().__init__(**kwargs)
        self.accounts = accounts
        #: Requests per second allowed per account (0: no limit), as Sendcloud's budget.
        self.rate_limit = 0
        self._ids = itertools.count(1)

    def reset(self):
        self._ids = itertools.count(1)
        self.rate_limit = 0
        return super().reset()

    def dispatch(self, request):
        """Sendcloud answers an empty HTTP 429 once an account's budget is spent."""
        if self.rate_limit:
            now = time.monotonic()
            with self._data_lock:
                hits = [hit for hit in self._hits.get(self._account(request), []) if now - hit < 1]
                hits.append(now)
                self._hits[self._account(request)] = hits
            if len(hits) > self.rate_limit:
                return FakeResponse(429, b"", {})
        return super().dispatch(request)

    # Answers ----------------------------------------------------------------------------

    @staticmethod
    def error(request, code, message, status=None):
        return FakeServer.json(
            {"error": {"code": code, "message": message, "request": request.path.lstrip("/")}},
            status or code,
        )

    def failure(self, status, headers=None):
        if status == 429:
            return FakeResponse(429, b"", headers or {})
        return self.json(
            {"error": {"code": status, "message": "Service unavailable", "request": ""}},
            status,
            headers,
        )

    def _authenticate(self, request):
        header = request.header("Authorization", "")
        public = secret = ""
        if header.startswith("Basic "):
            try:
                public, _sep, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                public = secret = ""
        if not public or not secret:
            return self.error(request, 401, "Authentication credentials were not provided.")
        if self.accounts is not None and self.accounts.get(public) != secret:
            return self.error(request, 401, "Invalid username/password.")
        return None

    # Shipping methods -------------------------------------------------------------------

    @staticmethod
    def _method(spec, country=None):
        method_id, name, carrier, min_kg, max_kg, service_point, prices = spec
        countries = []
        for iso_2, (price, hours) in prices.items():
            if country and iso_2 != country:
                continue
            number, label, iso_3 = COUNTRIES[iso_2]
            countries.append(
                {
                    "id": number,
                    "name": label,
                    "price": price,
                    "iso_2": iso_2,
                    "iso_3": iso_3,
                    "lead_time_hours": hours,
                    "price_breakdown": [
                        {"type": "price_without_insurance", "label": "Label", "value": price}
                    ],
                }
            )
        return {
            "id": method_id,
            "name": name,
            "carrier": carrier,
            "min_weight": f"{min_kg:.3f}",
            "max_weight": f"{max_kg:.3f}",
            "service_point_input": service_point,
            "price": 0,
            "countries": countries,
        }

    @route("GET", API + r"/shipping_methods")
    def shipping_methods(self, request):
        problem = self._authenticate(request)
        if problem:
            return problem
        country = request.query.get("to_country")
        methods = [
            self._method(spec, country)
            for spec in SHIPPING_METHODS
            if not country or country in spec[6]
        ]
        return self.json({"next": None, "previous": None, "shipping_methods": methods})

    # Parcels ----------------------------------------------------------------------------

    def _validate(self, request, parcel):
        missing = [name for name in REQUIRED_FIELDS if not parcel.get(name)]
        if parcel.get("is_return"):
            missing += [
                name
                for name in ("from_name", "from_address_1", "from_city", "from_postal_code",
                             "from_country")
                if not parcel.get(name)
            ]  # fmt: skip
        if missing:
            return self.error(request, 400, f"{missing[0]}: This field is required.")
        blank = [name for name in NOT_BLANK if parcel.get(name) == ""]
        if blank:
            return self.error(request, 400, f"{blank[0]}: This field may not be blank.")
        for name, limit in MAX_LENGTHS.items():
            value = parcel.get(name)
            if isinstance(value, str) and len(value) > limit:
                return self.error(
                    request, 400, f"{name}: Ensure this field has no more than {limit} characters."
                )
        for prefix in ("", "from_") if parcel.get("is_return") else ("",):
            country = parcel[f"{prefix}country"]
            if country not in COUNTRIES:
                return self.error(request, 400, f"{prefix}country: Invalid country {country}.")
            pattern = POSTCODE_FORMATS.get(country)
            postcode = str(parcel[f"{prefix}postal_code"]).strip().upper()
            if pattern and not re.fullmatch(pattern, postcode):
                return self.error(
                    request,
                    400,
                    f"{prefix}postal_code: '{parcel[f'{prefix}postal_code']}' is not a valid "
                    f"postal code for {country}.",
                )
        try:
            weight = float(parcel.get("weight") or 0)
        except (TypeError, ValueError):
            weight = 0.0
        if weight <= 0:
            return self.error(request, 400, "weight: A valid number is required.")
        return self._validate_method(request, parcel, weight)

    def _validate_method(self, request, parcel, weight):
        method_id = (parcel.get("shipment") or {}).get("id")
        if method_id is None:
            return None
        spec = next((spec for spec in SHIPPING_METHODS if spec[0] == method_id), None)
        if not spec:
            return self.error(request, 400, f"shipment: Invalid shipping method {method_id}.")
        if parcel["country"] not in spec[6]:
            return self.error(
                request, 400, f"country: {spec[1]} does not ship to {parcel['country']}."
            )
        if not spec[3] <= weight <= spec[4]:
            return self.error(
                request,
                400,
                f"weight: {weight:g} kg is outside {spec[1]} ({spec[3]:g}-{spec[4]:g} kg).",
            )
        point = parcel.get("to_service_point")
        if spec[5] == "required" and not parcel.get("is_return"):
            if not point:
                return self.error(
                    request, 400, f"to_service_point: {spec[1]} needs a service point."
                )
            if not any(p[0] == point for p in SERVICE_POINTS):
                return self.error(request, 400, f"to_service_point: Unknown service point {point}.")
        return None

    @route("POST", API + r"/parcels")
    def create_parcel(self, request):
        problem = self._authenticate(request)
        if problem:
            return problem
        try:
            data = request.json()
        except ValueError:
            return self.error(request, 400, "JSON parse error.")
        parcel = data.get("parcel") if isinstance(data, dict) else None
        if not isinstance(parcel, dict):
            return self.error(request, 400, "parcel: This field is required.")
        problem = self._validate(request, parcel)
        if problem:
            return problem
        account = self._account(request)
        reference = parcel.get("external_reference")
        with self._data_lock:
            if reference and any(
                p["external_reference"] == reference and p["_account"] == account
                for p in self.parcels.values()
            ):
                return self.error(
                    request,
                    400,
                    f"external_reference: Parcel with external reference {reference} "
                    "already exists.",
                )
            created = self._parcel_answer(next(self._ids), parcel, account)
            self.parcels[created["id"]] = created
        self.add_status(created["tracking_number"], "announcing", "Being announced")
        self.add_status(created["tracking_number"], "ready-to-send", "Ready to send")
        return self.json({"parcel": self._public(created)})

    @staticmethod
    def _account(request):
        header = request.header("Authorization", "")
        try:
            return base64.b64decode(header[6:]).decode().partition(":")[0]
        except ValueError:
            return ""

    def _parcel_answer(self, number, parcel, account):
        country = COUNTRIES[parcel["country"]]
        method_id = (parcel.get("shipment") or {}).get("id")
        spec = next((spec for spec in SHIPPING_METHODS if spec[0] == method_id), None)
        spec = spec or self._default_method(parcel)
        tracking = f"3SOMNI{number:09d}"
        now = datetime.now(timezone.utc).strftime("%d-%m-%Y %H:%M:%S")
        return {
            "_account": account,
            "id": number,
            "name": parcel["name"],
            "company_name": parcel.get("company_name") or "",
            "address": parcel["address"],
            "address_2": parcel.get("address_2") or "",
            "address_divided": {"street": parcel["address"], "house_number": ""},
            "city": parcel["city"],
            "postal_code": parcel["postal_code"],
            "telephone": parcel.get("telephone") or "",
            "email": parcel.get("email") or "",
            "date_created": now,
            "date_updated": now,
            "date_announced": now,
            "tracking_number": tracking,
            "tracking_url": f"{self.url}/tracking/?tracking_number={tracking}",
            "weight": f"{float(parcel['weight']):.3f}",
            "label": {
                "normal_printer": [
                    f"{self.url}{API}/labels/normal_printer/{number}?start_from={start}"
                    for start in range(4)
                ],
                "label_printer": f"{self.url}{API}/labels/label_printer/{number}",
            },
            "documents": [
                {
                    "type": "label",
                    "size": "a6",
                    "link": f"{self.url}{API}/parcels/{number}/documents/label",
                }
            ],
            "status": {"id": 1000, "message": "Ready to send"},
            "data": {},
            "country": {"iso_3": country[2], "iso_2": parcel["country"], "name": country[1]},
            "shipment": {"id": spec[0], "name": spec[1]},
            "carrier": {"code": spec[2]},
            "is_return": bool(parcel.get("is_return")),
            "order_number": parcel.get("order_number") or "",
            "external_reference": parcel.get("external_reference"),
            "reference": parcel.get("reference") or "0",
            "to_service_point": parcel.get("to_service_point"),
            "total_order_value_currency": parcel.get("total_order_value_currency") or "EUR",
            "total_order_value": parcel.get("total_order_value") or "0.00",
            "colli_uuid": f"00000000-0000-4000-8000-{number:012d}",
            "collo_nr": 0,
            "collo_count": 1,
            "awb_tracking_number": None,
            "box_number": None,
            "length": parcel.get("length"),
            "width": parcel.get("width"),
            "height": parcel.get("height"),
            "shipping_method_checkout_name": parcel.get("shipping_method_checkout_name") or "",
        }

    @staticmethod
    def _default_method(parcel):
        """Without a shipping method: the cheapest home delivery fitting the parcel (as
        the account's shipping rules would choose), else the first method."""
        weight = float(parcel["weight"])
        fitting = [
            spec
            for spec in SHIPPING_METHODS
            if spec[5] != "required"
            and parcel["country"] in spec[6]
            and spec[3] <= weight <= spec[4]
        ]
        if not fitting:
            return SHIPPING_METHODS[0]
        return min(fitting, key=lambda spec: spec[6][parcel["country"]][0])

    @staticmethod
    def _public(parcel):
        return {key: value for key, value in parcel.items() if not key.startswith("_")}

    def _own_parcel(self, request, parcel_id):
        parcel = self.parcels.get(int(parcel_id))
        if not parcel or parcel["_account"] != self._account(request):
            return None
        return parcel

    @route("GET", API + r"/parcels")
    def list_parcels(self, request):
        problem = self._authenticate(request)
        if problem:
            return problem
        account = self._account(request)
        found = [
            self._public(parcel)
            for parcel in self.parcels.values()
            if parcel["_account"] == account
            and all(
                str(parcel.get(name)) == request.query[name]
                for name in ("external_reference", "tracking_number", "order_number")
                if name in request.query
            )
        ]
        return self.json({"next": None, "previous": None, "parcels": found})

    @route("GET", API + r"/labels/label_printer/(?P<parcel_id>\d+)")
    def label(self, request, parcel_id):
        problem = self._authenticate(request)
        if problem:
            return problem
        parcel = self._own_parcel(request, parcel_id)
        if not parcel:
            return self.error(request, 404, "Not found.")
        lines = [
            "SENDCLOUD " + parcel["carrier"]["code"].upper(),
            parcel["tracking_number"],
            parcel["name"],
            f"{parcel['postal_code']} {parcel['city']} {parcel['country']['iso_2']}",
        ]
        return self.raw(minimal_pdf(lines), content_type="application/pdf")

    @route("POST", API + r"/parcels/(?P<parcel_id>\d+)/cancel")
    def cancel(self, request, parcel_id):
        problem = self._authenticate(request)
        if problem:
            return problem
        parcel = self._own_parcel(request, parcel_id)
        if not parcel:
            return self.error(request, 404, "Not found.")
        if parcel["status"]["id"] == 2000:
            return self.json(
                {"status": "failed", "message": "Parcel has already been cancelled"}, 400
            )
        if parcel["status"]["id"] == 11:
            return self.json(
                {
                    "status": "failed",
                    "message": "Parcel has been delivered and cannot be cancelled",
                },
                400,
            )
        parcel["status"] = {"id": 2000, "message": "Cancelled"}
        self.add_status(parcel["tracking_number"], "cancelled", "Cancelled")
        return self.json({"status": "cancelled", "message": "Parcel has been cancelled"})

    # Tracking ---------------------------------------------------------------------------

    def add_status(self, tracking_number, parent_status, message="", timestamp=None):
        """Append a tracking status (``parent_status`` as Sendcloud names it)."""
        with self._data_lock:
            statuses = self.statuses.setdefault(tracking_number, [])
            status = {
                "carrier_update_timestamp": timestamp or sendcloud_timestamp(),
                "parcel_status_history_id": str(1000 + sum(map(len, self.statuses.values()))),
                "parent_status": parent_status,
                "carrier_code": "",
                "carrier_message": message or parent_status,
            }
            statuses.append(status)
        return status

    @route("GET", API + r"/tracking/(?P<tracking_number>[^/]+)")
    def tracking(self, request, tracking_number):
        problem = self._authenticate(request)
        if problem:
            return problem
        parcel = next(
            (p for p in self.parcels.values() if p["tracking_number"] == tracking_number), None
        )
        if not parcel:
            body = (
                "<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code>"
                "<Message>The specified key does not exist.</Message>"
                f"<Key>v2/1/{tracking_number}.json</Key></Error>"
            )
            return self.raw(body, 404, content_type="application/xml")
        return self.json(
            {
                "parcel_id": str(parcel["id"]),
                "carrier_code": parcel["carrier"]["code"],
                "created_at": sendcloud_timestamp(),
                "carrier_tracking_url": parcel["tracking_url"],
                "sendcloud_tracking_url": parcel["tracking_url"],
                "is_return": parcel["is_return"],
                "is_to_service_point": bool(parcel["to_service_point"]),
                "is_mail_box": False,
                "expected_delivery_date": None,
                "statuses": list(reversed(self.statuses.get(tracking_number, []))),
            }
        )

    def webhook(self, tracking_number, status_id, message, secret, timestamp_ms=None):
        """Body and headers of the ``parcel_status_changed`` webhook Sendcloud sends."""
        parcel = next(p for p in self.parcels.values() if p["tracking_number"] == tracking_number)
        parcel["status"] = {"id": status_id, "message": message}
        moment = timestamp_ms or int(datetime.now(timezone.utc).timestamp() * 1000)
        body = json.dumps(
            {
                "action": "parcel_status_changed",
                "timestamp": moment,
                "carrier_status_change_timestamp": moment,
                "parcel": self._public(parcel),
            }
        ).encode()
        return body, {"Sendcloud-Signature": self.sign(secret, body)}

    # Service points ---------------------------------------------------------------------

    @route("GET", SERVICE_POINTS_API + r"/service-points")
    def service_points(self, request):
        token = request.query.get("access_token", "")
        if not token or (self.accounts is not None and token not in self.accounts):
            return self.error(request, 401, "Invalid access token.")
        country = request.query.get("country")
        if not country:
            return self.error(request, 400, "country: This field is required.")
        carrier = request.query.get("carrier")
        postcode = (request.query.get("postal_code") or "").replace(" ", "")
        points = []
        for (
            point_id,
            code,
            point_carrier,
            name,
            street,
            number,
            zip_code,
            city,
            iso,
            lat,
            lon,
        ) in SERVICE_POINTS:
            if iso != country or (carrier and point_carrier not in carrier.split(",")):
                continue
            distance = 0 if zip_code.replace(" ", "") == postcode else 2500
            if postcode and zip_code.replace(" ", "")[:2] != postcode[:2]:
                continue
            points.append(
                {
                    "id": point_id,
                    "code": code,
                    "is_active": True,
                    "shop_type": None,
                    "general_shop_type": "servicepoint",
                    "extra_data": {},
                    "name": name,
                    "street": street,
                    "house_number": number,
                    "postal_code": zip_code,
                    "city": city,
                    "latitude": lat,
                    "longitude": lon,
                    "email": "",
                    "phone": "",
                    "homepage": "",
                    "carrier": point_carrier,
                    "country": iso,
                    "formatted_opening_times": OPENING_TIMES,
                    "open_tomorrow": True,
                    "open_upcoming_week": True,
                    "distance": distance,
                }
            )
        return self.json(sorted(points, key=lambda point: point["distance"]))

    # Test helpers -------------------------------------------------------------------------

    @property
    def created(self):
        """Parcels (and return parcels) created, whatever the retries."""
        return [self._public(parcel) for parcel in self.parcels.values()]
