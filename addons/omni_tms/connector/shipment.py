"""Plain data exchanged between Odoo and carrier connectors."""

from dataclasses import dataclass, field
from datetime import datetime

# Normalised tracking stages, in the order a parcel normally goes through them.
STAGES = (
    "label_created",
    "picked_up",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "exception",
    "returned",
)
FINAL_STAGES = frozenset({"delivered", "returned"})


@dataclass(frozen=True)
class Address:
    name: str
    street: str = ""
    street2: str = ""
    zip: str = ""
    city: str = ""
    state_code: str = ""
    country_code: str = ""
    phone: str = ""
    email: str = ""
    country_name: str = ""

    def as_dict(self):
        return dict(self.__dict__)


@dataclass(frozen=True)
class Parcel:
    """Weight in kg, dimensions in cm (0 when unknown)."""

    weight: float
    length: float = 0.0
    width: float = 0.0
    height: float = 0.0
    reference: str = ""

    def as_dict(self):
        return dict(self.__dict__)


@dataclass(frozen=True)
class ShipmentRequest:
    """What to quote or ship: ``reference`` is ours (order, picking or shipment)."""

    reference: str
    sender: Address
    recipient: Address
    parcels: tuple
    service_level: str = "standard"
    value: float = 0.0
    currency: str = "EUR"
    label_format: str = "pdf"
    pickup_point: str = ""

    @property
    def weight(self):
        return round(sum(parcel.weight for parcel in self.parcels), 3)


@dataclass(frozen=True)
class RateResult:
    price: float
    currency: str = ""
    lead_time_days: float | None = None
    service: str = ""


@dataclass(frozen=True)
class ShipmentResult:
    """A shipment the carrier created (or a return): label bytes and format."""

    carrier_reference: str
    tracking_number: str
    price: float = 0.0
    currency: str = ""
    label: bytes = b""
    label_format: str = "pdf"
    tracking_url: str = ""


@dataclass(frozen=True)
class TrackingEvent:
    """A carrier event mapped to a normalised ``stage`` (one of STAGES).

    ``uid`` is unique for the carrier (its event id), so the same event received twice
    (poll and webhook, or a replayed webhook) is recorded once. ``date`` is naive UTC.
    """

    uid: str
    tracking_number: str
    stage: str
    date: datetime
    code: str = ""
    description: str = ""
    location: str = ""
    extra: dict = field(default_factory=dict)
