"""Connector of Sendcloud's API v2 (REST, JSON, HTTP Basic authentication).

- Shipping methods and prices: ``GET /shipping_methods`` (price per destination country).
- Parcels with labels: ``POST /parcels`` with ``request_label: true``; our reference goes
  in ``external_reference``, which Sendcloud keeps unique per account, and a parcel is
  found again with ``GET /parcels?external_reference=...`` (look-up before a retry).
  The label (PDF) comes from ``GET /labels/label_printer/{parcel_id}``.
- Cancellation: ``POST /parcels/{id}/cancel``; returns: parcels with ``is_return: true``
  and the customer in the ``from_*`` fields.
- Tracking: ``GET /tracking/{tracking_number}``; webhooks signed with the header
  ``Sendcloud-Signature`` (hex HMAC-SHA256 of the raw body with the secret key).
- Service points: ``GET /service-points`` on the service-points server, authenticated
  with the public key as ``access_token``.
"""

import re
from datetime import datetime, timezone

from odoo.addons.omni_tms.connector import (
    CarrierConnector,
    CarrierError,
    CarrierUnreadable,
    RateResult,
    ShipmentResult,
    TrackingEvent,
    json_type,
    parse_timestamp,
)

# Sendcloud's aggregated tracking statuses (``parent_status``) as Omni stages.
STAGE_BY_PARENT_STATUS = {
    "announcing": "label_created",
    "announced": "label_created",
    "ready-to-send": "label_created",
    "shipment-picked-up": "picked_up",
    "shipment-collected": "picked_up",
    "shipment-on-route": "in_transit",
    "sorted": "in_transit",
    "out-for-delivery": "out_for_delivery",
    "driver-en-route": "out_for_delivery",
    "awaiting-customer-pickup": "out_for_delivery",
    "delivered": "delivered",
    "shipment-collected-by-customer": "delivered",
    "delivery-attempt-failed": "exception",
    "delivery-delayed": "exception",
    "exception": "exception",
    "unable-to-deliver": "exception",
    "returned-to-sender": "returned",
}
# Parcel status ids (``parcel.status.id``, as in webhooks) as Omni stages.
STAGE_BY_STATUS_ID = {
    1000: "label_created",
    1001: "label_created",
    1: "label_created",
    22: "picked_up",
    3: "in_transit",
    5: "in_transit",
    7: "in_transit",
    91: "in_transit",
    92: "out_for_delivery",
    12: "out_for_delivery",
    11: "delivered",
    93: "delivered",
    4: "exception",
    6: "exception",
    8: "exception",
    15: "exception",
    80: "exception",
    1002: "exception",
    1999: "exception",
    2000: "exception",
}
# What to fix, by the field Sendcloud names in its error message.
FIX_BY_FIELD = {
    "postal_code": "Fix the postcode of the address.",
    "from_postal_code": "Fix the postcode of the sender's address.",
    "country": "Check the country of the address: the shipping method must serve it.",
    "address": "Shorten or fix the street of the address (75 characters at most).",
    "address_2": "Shorten the second address line (75 characters at most).",
    "name": "Shorten or fill the name of the recipient (75 characters at most).",
    "company_name": "Shorten the company name of the recipient (50 characters at most).",
    "city": "Shorten or fill the city of the address (30 characters at most).",
    "telephone": "Fix the phone number of the recipient.",
    "email": "Fix the e-mail address of the recipient.",
    "weight": "Set product weights within the limits of the shipping method.",
    "shipment": "Choose a shipping method id your Sendcloud account offers for this "
    "destination (carrier settings).",
    "to_service_point": "Choose another service point: this one is unknown or closed.",
    "external_reference": "This reference was already used for another parcel.",
}
FIX_BY_STATUS = {
    401: "Check the public and secret API keys of the carrier (Sendcloud integration).",
    403: "The Sendcloud integration is not allowed to do this: check its permissions.",
    404: "Sendcloud does not know this parcel or service point.",
}
_FIELD = re.compile(r"^\s*([a-z_0-9]+)\s*:")


class SendcloudConnector(CarrierConnector):
    name = "Sendcloud"
    supports_lookup = True
    webhook_signature_header = "Sendcloud-Signature"

    def __init__(
        self,
        *,
        public_key,
        secret_key,
        shipping_method_id=0,
        service_point_endpoint="",
        service_point_carrier="",
        sender_address_id=0,
        **kwargs,
    ):
        super().__init__(secrets=(secret_key,), **kwargs)
        self.public_key = public_key
        self.secret_key = secret_key
        self.shipping_method_id = int(shipping_method_id or 0)
        self.service_point_endpoint = service_point_endpoint
        self.service_point_carrier = service_point_carrier
        self.sender_address_id = int(sender_address_id or 0)

    def _client(self, base_url=None):
        return self.http_client(
            base_url,
            auth=(self.public_key, self.secret_key),
            headers={"Accept": "application/json"},
        )

    # Errors -------------------------------------------------------------------------

    def _error(self, raw):
        """The CarrierError of an answer that is not a success (a refusal can come with
        HTTP 200: ``error`` or ``failed_parcels``)."""
        error = self._error_details(self._object(raw))
        message = self.redactor.text(str(error.get("message") or f"HTTP {raw.status}"))
        match = _FIELD.match(message)
        field = match.group(1) if match else ""
        fix = FIX_BY_FIELD.get(field) or FIX_BY_STATUS.get(raw.status, "")
        code = str(error.get("code") or raw.status)
        if field and field != "non_field_errors":
            code = f"{code}/{field}"
        return CarrierError(
            f"Sendcloud refused the request: {message}" + (f" {fix}" if fix else ""),
            code=code,
            status=raw.status,
        )

    def _error_details(self, data):
        """{"code", "message"} of the error an answer's JSON object carries, if any."""
        error = data.get("error")
        if isinstance(error, dict) and error:
            return error
        if error:
            return {"message": error}
        if data.get("failed_parcels"):
            return {"message": self._failed_parcels(data["failed_parcels"])}
        if data.get("status") == "failed":
            return {"message": data.get("message") or ""}
        return {}

    @staticmethod
    def _failed_parcels(failed_parcels):
        messages = []
        for failed in failed_parcels if isinstance(failed_parcels, list) else []:
            errors = failed.get("errors") if isinstance(failed, dict) else None
            for field, texts in errors.items() if isinstance(errors, dict) else ():
                texts = texts if isinstance(texts, list) else [texts]
                messages.append(f"{field}: {' '.join(str(text) for text in texts)}")
        return "; ".join(messages) or "the parcel was refused without a reason given"

    @staticmethod
    def _object(raw):
        """The JSON object of an answer, or {} when it has none."""
        try:
            data = raw.json()
        except CarrierError:
            return {}
        return data if isinstance(data, dict) else {}

    def _answer(self, raw, expected=(200, 201), kind=dict):
        """The JSON (of type ``kind``) of a successful answer. A refusal is raised,
        even with a success status; an answer of another shape is unreadable."""
        if raw.status not in expected:
            raise self._error(raw)
        data = raw.json()
        if not isinstance(data, kind):
            raise CarrierUnreadable(
                f"Sendcloud answered HTTP {raw.status} with {json_type(data)} where "
                f"{json_type(kind())} was expected: it may have carried out the request.",
                status=raw.status,
            )
        if kind is dict and self._error_details(data):
            raise self._error(raw)
        return data

    # Rates ----------------------------------------------------------------------------

    def _rate_params(self, request):
        params = {
            "to_country": request.recipient.country_code,
            "from_postal_code": request.sender.zip,
            "to_postal_code": request.recipient.zip,
        }
        if self.sender_address_id:
            params["sender_address"] = str(self.sender_address_id)
        if request.pickup_point:
            params["service_point_id"] = request.pickup_point
        return params

    def request_rate(self, request, deadline=None):
        return self._client().request(
            "GET", "shipping_methods", params=self._rate_params(request), deadline=deadline
        )

    def parse_rate(self, request, raw):
        methods = self._answer(raw).get("shipping_methods") or []
        country = request.recipient.country_code
        weight = request.weight
        try:
            candidates = self._candidates(methods, request)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise CarrierUnreadable(
                f"Sendcloud answered shipping methods that cannot be read ({error!r})."
            ) from error
        if not candidates:
            raise CarrierError(
                f"Sendcloud has no shipping method{self._method_label()} to {country} for "
                f"{weight:g} kg: choose a method your account offers for this destination "
                "and weight.",
                code="NO_SHIPPING_METHOD",
            )
        price, method, entry = min(candidates, key=lambda item: item[0])
        hours = entry.get("lead_time_hours")
        return RateResult(
            price=price,
            currency="EUR",
            lead_time_days=round(hours / 24.0, 2) if hours else None,
            service=method.get("name", ""),
        )

    def _candidates(self, methods, request):
        """(price, method, country entry) of the methods fitting ``request``."""
        candidates = []
        for method in methods:
            if self.shipping_method_id and method.get("id") != self.shipping_method_id:
                continue
            if not float(method["min_weight"]) <= request.weight <= float(method["max_weight"]):
                continue
            if method.get("service_point_input") == "required" and not request.pickup_point:
                continue
            for entry in method.get("countries") or []:
                if entry.get("iso_2") == request.recipient.country_code:
                    candidates.append((float(entry["price"]), method, entry))
        return candidates

    def _method_label(self):
        return f" {self.shipping_method_id}" if self.shipping_method_id else ""

    # Parcels --------------------------------------------------------------------------

    def _prepare_parcel(self, request, reference):
        recipient = request.recipient
        parcel = {
            "name": recipient.name,
            "address": recipient.street,
            "city": recipient.city,
            "postal_code": recipient.zip,
            "country": recipient.country_code,
            "telephone": recipient.phone,
            "request_label": True,
            "weight": f"{request.weight:.3f}",
            "order_number": request.reference,
            "external_reference": reference,
            "total_order_value_currency": request.currency,
            "total_order_value": f"{request.value:.2f}",
            "quantity": 1,
        }
        if recipient.email:
            # Sendcloud refuses an empty e-mail address.
            parcel["email"] = recipient.email
        if recipient.street2:
            parcel["address_2"] = recipient.street2
        if recipient.state_code:
            parcel["country_state"] = recipient.state_code
        if self.shipping_method_id:
            parcel["shipment"] = {"id": self.shipping_method_id}
        if self.sender_address_id:
            parcel["sender_address"] = self.sender_address_id
        if request.pickup_point:
            parcel["to_service_point"] = int(request.pickup_point)
        dimensions = request.parcels[0] if len(request.parcels) == 1 else None
        if dimensions and dimensions.length and dimensions.width and dimensions.height:
            parcel.update(
                length=f"{dimensions.length:g}",
                width=f"{dimensions.width:g}",
                height=f"{dimensions.height:g}",
            )
        return parcel

    def _prepare_return_parcel(self, request, reference):
        """A return goes to our warehouse (recipient) from the customer (sender)."""
        parcel = self._prepare_parcel(request, reference)
        sender = request.sender
        parcel.pop("to_service_point", None)
        parcel.update(
            is_return=True,
            from_name=sender.name,
            from_address_1=sender.street,
            from_city=sender.city,
            from_postal_code=sender.zip,
            from_country=sender.country_code,
            from_telephone=sender.phone,
        )
        if sender.email:
            parcel["from_email"] = sender.email
        if sender.street2:
            parcel["from_address_2"] = sender.street2
        return parcel

    def _create(self, request, parcel, deadline):
        """Create the parcel, fetch its label and the price of its shipping method (the
        parcel answer carries no price): (parcel, label or None, methods or None)."""
        client = self._client()
        created = client.request(
            "POST", "parcels", json={"parcel": parcel}, deadline=deadline, idempotent=False
        )
        label = self._fetch_label(client, created, deadline)
        methods = None
        if label is not None and label.status == 200:
            methods = client.request(
                "GET", "shipping_methods", params=self._rate_params(request), deadline=deadline
            )
        return created, label, methods

    def _fetch_label(self, client, answer, deadline):
        """The label of the parcel a creation answer gives; None when the answer gives
        none (parse_shipment says why)."""
        parcel = self._object(answer).get("parcel")
        if answer.status not in (200, 201) or not self._is_parcel(parcel):
            return None
        return client.request("GET", f"labels/label_printer/{parcel['id']}", deadline=deadline)

    @staticmethod
    def _is_parcel(parcel):
        return isinstance(parcel, dict) and bool(parcel.get("id"))

    def _shipment_price(self, request, methods):
        """The price of the parcel's shipping method, 0.0 when Sendcloud gives none."""
        if methods is None:
            return 0.0
        try:
            return self.parse_rate(request, methods).price
        except CarrierError:
            return 0.0

    def _shipment_result(self, parcel, label_answer, price=0.0):
        if label_answer is None:
            raise CarrierError(
                f"Sendcloud created parcel {parcel.get('id')} without a label: check its "
                "shipping method in the Sendcloud panel.",
                code="NO_LABEL",
            )
        if label_answer.status != 200:
            raise self._error(label_answer)
        return ShipmentResult(
            carrier_reference=str(parcel["id"]),
            tracking_number=parcel.get("tracking_number") or "",
            price=price,
            currency="EUR",
            label=label_answer.content,
            label_format="pdf",
            tracking_url=parcel.get("tracking_url") or "",
        )

    def request_shipment(self, request, reference, deadline=None):
        return self._create(request, self._prepare_parcel(request, reference), deadline)

    def parse_shipment(self, request, raw):
        created, label, methods = raw
        parcel = self._answer(created).get("parcel")
        if not self._is_parcel(parcel):
            raise CarrierUnreadable(
                f"Sendcloud answered HTTP {created.status} without the parcel created: "
                "it may have created it."
            )
        return self._shipment_result(parcel, label, self._shipment_price(request, methods))

    def request_lookup(self, reference, deadline=None):
        client = self._client()
        found = client.request(
            "GET", "parcels", params={"external_reference": reference}, deadline=deadline
        )
        label = None
        parcels = self._object(found).get("parcels")
        first = parcels[0] if isinstance(parcels, list) and parcels else None
        if found.status == 200 and self._is_parcel(first):
            label = client.request("GET", f"labels/label_printer/{first['id']}", deadline=deadline)
        return found, label

    def parse_lookup(self, raw):
        found, label = raw
        parcels = self._answer(found).get("parcels") or []
        if not isinstance(parcels, list) or not all(map(self._is_parcel, parcels)):
            raise CarrierUnreadable("Sendcloud answered the look-up with parcels it cannot read.")
        return self._shipment_result(parcels[0], label) if parcels else None

    def request_cancel(self, shipment, deadline=None):
        return self._client().request(
            "POST", f"parcels/{shipment.carrier_reference}/cancel", deadline=deadline
        )

    def parse_cancel(self, raw):
        """True once cancelled or queued for cancellation (202)."""
        if raw.status == 202:
            return True
        return self._answer(raw, expected=(200,)).get("status") in ("cancelled", "queued")

    def request_return(self, request, reference, original_tracking, deadline=None):
        return self._create(request, self._prepare_return_parcel(request, reference), deadline)

    def parse_return(self, request, raw):
        return self.parse_shipment(request, raw)

    # Tracking -------------------------------------------------------------------------

    def request_tracking(self, tracking_numbers, deadline=None):
        """One call per tracking number: [(tracking number, answer)]."""
        client = self._client()
        return [
            (number, client.request("GET", f"tracking/{number}", deadline=deadline))
            for number in tracking_numbers
        ]

    def parse_tracking(self, raw):
        events = []
        for number, answer in raw:
            if answer.status == 404:
                continue  # not known to the carrier yet
            data = self._answer(answer, expected=(200,))
            for status in data.get("statuses") or []:
                stage = STAGE_BY_PARENT_STATUS.get(status.get("parent_status"))
                if not stage:
                    continue
                events.append(
                    TrackingEvent(
                        uid=f"sendcloud-{data.get('parcel_id')}-{status['parcel_status_history_id']}",
                        tracking_number=number,
                        stage=stage,
                        date=parse_timestamp(status["carrier_update_timestamp"]),
                        code=status["parent_status"],
                        description=status.get("carrier_message") or status["parent_status"],
                    )
                )
        return events

    def verify_webhook(self, headers, body, secret):
        """Sendcloud signs webhooks with the integration's secret key: it is used when
        no other webhook secret is set."""
        return super().verify_webhook(headers, body, secret or self.secret_key)

    def parse_webhook(self, headers, body):
        """Events of a ``parcel_status_changed`` webhook (others carry none)."""
        data = self.webhook_data(body)
        if self.webhook_value(data, "action", str) != "parcel_status_changed":
            return []
        timestamp = self.webhook_value(data, "timestamp", (int, float))
        status_id = self.webhook_value(data, "parcel.status.id", int)
        parcel_id = self.webhook_value(data, "parcel.id", int)
        tracking_number = self.webhook_value(data, "parcel.tracking_number", str, False)
        message = self.webhook_value(data, "parcel.status.message", str, False)
        try:
            moment = datetime.fromtimestamp(timestamp / 1000.0, tz=timezone.utc)
        except (OverflowError, OSError, ValueError) as error:
            raise self.webhook_error("timestamp is not a date in milliseconds") from error
        stage = STAGE_BY_STATUS_ID.get(status_id)
        if not stage or not tracking_number:
            return []
        return [
            TrackingEvent(
                uid=f"sendcloud-{parcel_id}-status-{status_id}-{int(timestamp)}",
                tracking_number=tracking_number,
                stage=stage,
                date=moment.replace(tzinfo=None),
                code=str(status_id),
                description=message or "",
            )
        ]

    def tracking_url(self, tracking_number):
        return f"https://tracking.sendcloud.sc/forward?code={tracking_number}"

    # Service points -------------------------------------------------------------------

    def request_service_points(self, country, postal_code, city="", deadline=None):
        params = {
            "country": country,
            "postal_code": postal_code,
            "access_token": self.public_key,
        }
        if city:
            params["city"] = city
        if self.service_point_carrier:
            params["carrier"] = self.service_point_carrier
        return self.http_client(
            self.service_point_endpoint, headers={"Accept": "application/json"}
        ).request("GET", "service-points", params=params, deadline=deadline)

    def parse_service_points(self, raw):
        """Service points as Odoo's pickup-location dictionaries."""
        points = self._answer(raw, expected=(200,), kind=list)
        return [
            {
                "id": str(point["id"]),
                "name": point.get("name") or "",
                "street": " ".join(
                    part for part in (point.get("street"), point.get("house_number")) if part
                ),
                "city": point.get("city") or "",
                "zip_code": point.get("postal_code") or "",
                "country_code": point.get("country") or "",
                "state": "",
                "latitude": point.get("latitude") or "",
                "longitude": point.get("longitude") or "",
                "opening_hours": point.get("formatted_opening_times") or {},
                "additional_data": {
                    "carrier": point.get("carrier") or "",
                    "code": point.get("code") or "",
                    "distance": point.get("distance"),
                },
            }
            for point in points
            if point.get("is_active", True)
        ]

    def service_points(self, country, postal_code, city="", deadline=None):
        raw = self.request_service_points(country, postal_code, city, deadline=deadline)
        return self.parse_service_points(raw)
