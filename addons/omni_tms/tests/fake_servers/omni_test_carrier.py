"""The Omni test carrier's API, as a local server (see connector/omni_test.py)."""

import base64
import itertools
import re
from datetime import datetime, timezone

# The package's public names only, as a carrier add-on's fake server imports them.
from . import FakeServer, minimal_pdf, route

REQUIRED_ADDRESS_FIELDS = ("name", "street", "zip", "city", "country_code")
POSTCODE_FORMATS = {"FR": r"\d{5}", "DE": r"\d{5}", "BE": r"\d{4}", "NL": r"\d{4} ?[A-Z]{2}"}


def zpl_label(lines, barcode):
    fields = "".join(f"^FO40,{40 + 50 * index}^FD{line}^FS" for index, line in enumerate(lines))
    return f"^XA^CF0,36{fields}^BY3^FO40,300^BCN,120,Y,N,N^FD{barcode}^FS^XZ\n".encode()


def now_iso():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class OmniTestCarrierServer(FakeServer):
    """Serves ``/<environment>/v1/...`` for any environment prefix (e.g. ``sandbox``
    or ``live``), so tests see which endpoint a carrier used.

    ``accounts`` maps account numbers to API keys; None accepts any account that
    sends a key (demo mode). ``account_latency`` adds seconds per account.
    """

    stores = ("shipments", "idempotency", "events")

    def __init__(self, accounts=None, **kwargs):
        super().__init__(**kwargs)
        self.accounts = accounts
        self.account_latency = {}
        self.webhook_deliveries = []
        self._numbers = itertools.count(1)

    # Helpers ----------------------------------------------------------------------

    @staticmethod
    def error(code, message, status=422):
        return FakeServer.json({"error": {"code": code, "message": message}}, status)

    def latency_for(self, request):
        return super().latency_for(request) + self.account_latency.get(
            request.header("X-Account"), 0.0
        )

    def _authenticate(self, request):
        account = request.header("X-Account")
        authorization = request.header("Authorization", "")
        key = authorization[len("Bearer ") :] if authorization.startswith("Bearer ") else ""
        if not account or not key:
            return self.error("AUTH_MISSING", "Send X-Account and a Bearer API key.", 401)
        if self.accounts is not None and self.accounts.get(account) != key:
            return self.error("AUTH_INVALID", f"Unknown account {account} or wrong API key.", 401)
        return None

    def _validate(self, data):
        for role in ("shipper", "recipient"):
            address = data.get(role) or {}
            missing = [name for name in REQUIRED_ADDRESS_FIELDS if not address.get(name)]
            if missing:
                return self.error(
                    "ADDRESS_INCOMPLETE", f"The {role} address lacks {', '.join(missing)}."
                )
            pattern = POSTCODE_FORMATS.get(address["country_code"])
            if pattern and not re.fullmatch(pattern, address["zip"].strip().upper()):
                return self.error(
                    "INVALID_POSTCODE",
                    f"Postcode {address['zip']!r} is not valid for {address['country_code']}: "
                    f"fix the {role} address.",
                )
        parcels = data.get("parcels") or []
        if not parcels or any(float(parcel.get("weight") or 0) <= 0 for parcel in parcels):
            return self.error("WEIGHT_MISSING", "Every parcel needs a weight above 0 kg.")
        max_weight = float((data.get("tariff") or {}).get("max_weight") or 0)
        heaviest = max(float(parcel["weight"]) for parcel in parcels)
        if max_weight and heaviest > max_weight:
            return self.error(
                "WEIGHT_LIMIT",
                f"A parcel weighs {heaviest:g} kg; this service takes {max_weight:g} kg.",
            )
        return None

    @staticmethod
    def _price(data):
        tariff = data.get("tariff") or {}
        weight = sum(float(parcel["weight"]) for parcel in data["parcels"])
        price = float(tariff.get("base_price", 0)) + float(tariff.get("price_per_kg", 0)) * weight
        return round(price, 2), int(tariff.get("lead_time_days", 3))

    def _label(self, tracking_number, data, label_format):
        recipient = data["recipient"]
        lines = [
            "OMNI TEST CARRIER",
            tracking_number,
            recipient["name"],
            f"{recipient['zip']} {recipient['city']} {recipient['country_code']}",
        ]
        if label_format == "zpl":
            return zpl_label(lines, tracking_number)
        return minimal_pdf(lines)

    def _create(self, request, kind):
        problem = self._authenticate(request) or self._validate(request.json())
        if problem:
            return problem
        data = request.json()
        key = (request.header("X-Account"), request.header("Idempotency-Key") or data["reference"])
        with self._data_lock:
            if key in self.idempotency:
                return self.json(self.shipments[self.idempotency[key]], 200)
            number = next(self._numbers)
            tracking = f"OT{number:09d}"
            price, _lead_time = self._price(data)
            label_format = data.get("label_format") or "pdf"
            shipment = {
                "id": f"SHP{number:06d}",
                "kind": kind,
                "account": key[0],
                "reference": data["reference"],
                "tracking_number": tracking,
                "status": "created",
                "price": price,
                "currency": data.get("currency") or "EUR",
                "label": {
                    "format": label_format,
                    "content": base64.b64encode(self._label(tracking, data, label_format)).decode(),
                },
                "tracking_url": f"{self.url}/track/{tracking}",
            }
            self.shipments[shipment["id"]] = shipment
            self.idempotency[key] = shipment["id"]
            self.events[tracking] = []
        self.add_event(tracking, "LC", "Label created")
        return self.json(shipment, 201)

    def reset(self):
        self.account_latency.clear()
        return super().reset()

    # Test helpers -------------------------------------------------------------------

    @property
    def created(self):
        """Shipments (and returns) created, whatever the retries."""
        return list(self.shipments.values())

    def add_event(self, tracking_number, code, description="", timestamp=None, location=""):
        with self._data_lock:
            events = self.events.setdefault(tracking_number, [])
            event = {
                "id": f"{tracking_number}-{len(events) + 1}",
                "code": code,
                "description": description or code,
                "timestamp": timestamp or now_iso(),
                "location": location,
            }
            events.append(event)
        return event

    # API ----------------------------------------------------------------------------

    @route("POST", r"(/[\w-]+)?/v1/rates")
    def rates(self, request):
        problem = self._authenticate(request) or self._validate(request.json())
        if problem:
            return problem
        data = request.json()
        price, lead_time = self._price(data)
        return self.json(
            {
                "price": price,
                "currency": data.get("currency") or "EUR",
                "lead_time_days": lead_time,
                "service": f"OMNI-{(data.get('service_level') or 'standard').upper()}",
            }
        )

    @route("POST", r"(/[\w-]+)?/v1/shipments")
    def create_shipment(self, request):
        return self._create(request, "outbound")

    @route("POST", r"(/[\w-]+)?/v1/returns")
    def create_return(self, request):
        return self._create(request, "return")

    @route("GET", r"(/[\w-]+)?/v1/shipments")
    def find_shipments(self, request):
        problem = self._authenticate(request)
        if problem:
            return problem
        reference = request.query.get("reference")
        account = request.header("X-Account")
        with self._data_lock:
            found = [
                shipment
                for shipment in self.shipments.values()
                if shipment["reference"] == reference and shipment["account"] == account
            ]
        return self.json({"shipments": found})

    @route("POST", r"(/[\w-]+)?/v1/shipments/(?P<shipment_id>\w+)/cancel")
    def cancel_shipment(self, request, shipment_id):
        problem = self._authenticate(request)
        if problem:
            return problem
        with self._data_lock:
            shipment = self.shipments.get(shipment_id)
            if not shipment:
                return self.error("NOT_FOUND", f"No shipment {shipment_id}.", 404)
            if any(event["code"] == "DL" for event in self.events[shipment["tracking_number"]]):
                return self.error(
                    "ALREADY_DELIVERED", "A delivered shipment cannot be cancelled.", 409
                )
            shipment["status"] = "cancelled"
        return self.json({"id": shipment_id, "status": "cancelled"})

    @route("POST", r"(/[\w-]+)?/v1/tracking")
    def tracking(self, request):
        problem = self._authenticate(request)
        if problem:
            return problem
        numbers = request.json().get("tracking_numbers") or []
        with self._data_lock:
            results = [
                {"tracking_number": number, "events": list(self.events.get(number, []))}
                for number in numbers
                if number in self.events
            ]
        return self.json({"results": results})

    @route("GET", r"/track/(?P<tracking_number>\w+)")
    def tracking_page(self, request, tracking_number):
        events = self.events.get(tracking_number, [])
        rows = "".join(f"<li>{e['timestamp']} {e['description']}</li>" for e in events)
        return self.raw(
            f"<html><body><h1>{tracking_number}</h1><ul>{rows}</ul></body></html>",
            content_type="text/html",
        )
