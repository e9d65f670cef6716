"""Connector of the Omni test carrier: a small JSON API with deterministic tariffs.

The test carrier prices a shipment from the tariff its account sends (base price,
price per kg, lead time), so quotes are predictable, and it speaks like a real
carrier API otherwise: bearer authentication, idempotency keys on creations,
look-up by reference, batched tracking, signed webhooks, errors with codes.
"""

import base64

# The package's public names only, as a carrier add-on's connector imports them.
from . import (
    CarrierConnector,
    CarrierError,
    CarrierUnreadable,
    RateResult,
    ShipmentResult,
    TrackingEvent,
    json_type,
    parse_timestamp,
)

STAGE_BY_CODE = {
    "LC": "label_created",
    "PU": "picked_up",
    "IT": "in_transit",
    "OD": "out_for_delivery",
    "DL": "delivered",
    "EX": "exception",
    "RS": "returned",
}


class OmniTestConnector(CarrierConnector):
    name = "Omni test carrier"
    supports_lookup = True

    def __init__(self, *, account, api_key, tariff, **kwargs):
        super().__init__(secrets=(api_key,), **kwargs)
        self.account = account
        self.api_key = api_key
        self.tariff = dict(tariff)

    def _client(self):
        return self.http_client(
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "X-Account": self.account,
                "Accept": "application/json",
            }
        )

    def _payload(self, request):
        return {
            "tariff": self.tariff,
            "service_level": request.service_level,
            "shipper": request.sender.as_dict(),
            "recipient": request.recipient.as_dict(),
            "parcels": [parcel.as_dict() for parcel in request.parcels],
            "value": request.value,
            "currency": request.currency,
            "pickup_point": request.pickup_point,
        }

    def _answer(self, raw, expected=(200, 201)):
        """The JSON object of a successful answer, or the carrier's error raised."""
        if raw.status in expected:
            data = raw.json()
            if not isinstance(data, dict):
                raise CarrierUnreadable(
                    f"{self.name} answered {json_type(data)} instead of an object: it may "
                    "have carried out the request.",
                    status=raw.status,
                )
            return data
        try:
            error = raw.json().get("error") or {}
        except (CarrierError, AttributeError):
            error = {}
        if not isinstance(error, dict):
            error = {"message": str(error)}
        message = self.redactor.text(error.get("message") or f"HTTP {raw.status}")
        raise CarrierError(
            f"{self.name}: {message}",
            code=error.get("code") or str(raw.status),
            status=raw.status,
        )

    # Rates ----------------------------------------------------------------------

    def request_rate(self, request, deadline=None):
        return self._client().request(
            "POST", "v1/rates", json=self._payload(request), deadline=deadline
        )

    def parse_rate(self, request, raw):
        data = self._answer(raw)
        return RateResult(
            price=float(data["price"]),
            currency=data.get("currency", ""),
            lead_time_days=data.get("lead_time_days"),
            service=data.get("service", ""),
        )

    # Shipments ------------------------------------------------------------------

    def request_shipment(self, request, reference, deadline=None):
        payload = {
            **self._payload(request),
            "reference": reference,
            "label_format": self.label_format,
        }
        return self._client().request(
            "POST",
            "v1/shipments",
            json=payload,
            headers={"Idempotency-Key": reference},
            deadline=deadline,
        )

    def _shipment_result(self, data):
        try:
            label = data.get("label") or {}
            return ShipmentResult(
                carrier_reference=data["id"],
                tracking_number=data["tracking_number"],
                price=float(data.get("price") or 0.0),
                currency=data.get("currency", ""),
                label=base64.b64decode(label.get("content") or b""),
                label_format=label.get("format") or "pdf",
                tracking_url=data.get("tracking_url", ""),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise CarrierUnreadable(
                f"{self.name} answered a shipment that cannot be read ({error!r}): it may "
                "have created it."
            ) from error

    def parse_shipment(self, request, raw):
        return self._shipment_result(self._answer(raw))

    def request_lookup(self, reference, deadline=None):
        return self._client().request(
            "GET", "v1/shipments", params={"reference": reference}, deadline=deadline
        )

    def parse_lookup(self, raw):
        shipments = self._answer(raw).get("shipments") or []
        return self._shipment_result(shipments[0]) if shipments else None

    def request_cancel(self, shipment, deadline=None):
        return self._client().request(
            "POST", f"v1/shipments/{shipment.carrier_reference}/cancel", deadline=deadline
        )

    def parse_cancel(self, raw):
        return self._answer(raw).get("status") == "cancelled"

    def request_return(self, request, reference, original_tracking, deadline=None):
        payload = {
            **self._payload(request),
            "reference": reference,
            "original_tracking_number": original_tracking,
            "label_format": self.label_format,
        }
        return self._client().request(
            "POST",
            "v1/returns",
            json=payload,
            headers={"Idempotency-Key": reference},
            deadline=deadline,
        )

    def parse_return(self, request, raw):
        return self._shipment_result(self._answer(raw))

    # Tracking -------------------------------------------------------------------

    def request_tracking(self, tracking_numbers, deadline=None):
        return self._client().request(
            "POST",
            "v1/tracking",
            json={"tracking_numbers": list(tracking_numbers)},
            deadline=deadline,
        )

    def _events(self, tracking_number, events):
        result = []
        for event in events:
            stage = STAGE_BY_CODE.get(event.get("code"))
            if not stage:
                continue
            result.append(
                TrackingEvent(
                    uid=str(event["id"]),
                    tracking_number=tracking_number,
                    stage=stage,
                    date=parse_timestamp(event["timestamp"]),
                    code=event["code"],
                    description=event.get("description") or "",
                    location=event.get("location") or "",
                )
            )
        return result

    def parse_tracking(self, raw):
        events = []
        for item in self._answer(raw).get("results") or []:
            events += self._events(item["tracking_number"], item.get("events") or [])
        return events

    def parse_webhook(self, headers, body):
        data = self.webhook_data(body)
        tracking_number = self.webhook_value(data, "tracking_number", str)
        events = self.webhook_value(data, "events", list, required=False) or []
        for index in range(len(events)):
            self.webhook_value(data, f"events.{index}", dict)
            self.webhook_value(data, f"events.{index}.id", (str, int))
            self.webhook_value(data, f"events.{index}.code", str)
            self.webhook_value(data, f"events.{index}.description", str, required=False)
            self.webhook_value(data, f"events.{index}.location", str, required=False)
            timestamp = self.webhook_value(data, f"events.{index}.timestamp", str)
            try:
                parse_timestamp(timestamp)
            except (OverflowError, ValueError) as error:
                raise self.webhook_error(
                    f"events.{index}.timestamp is not an ISO 8601 date and time"
                ) from error
        return self._events(tracking_number, events)

    def tracking_url(self, tracking_number):
        return f"{self.endpoint.rstrip('/')}/track/{tracking_number}" if self.endpoint else ""
