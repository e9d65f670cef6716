"""Plain data exchanged between Odoo and carrier connectors."""

from dataclasses import dataclass, field, replace
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
class Shipment:
    """One shipment to quote or ship: built once by the Odoo layer from a sales order
    or a delivery, read by the carrier rules and passed down to the carrier's connector.

    ``reference`` is ours (the order's or the delivery's name); weights are in kg,
    lengths in cm, ``value`` in ``currency``. At a pickup point (``pickup_point``), the
    recipient is the point's address and ``customer`` the person the parcel is for
    (name, phone and e-mail). What carrier rules read besides: the sales channel
    (``channel_id``), the value in the company's currency (``amount``), the days until
    the delivery date promised (``promised_days``) and the package types of the
    parcels (``package_type_ids``), as database ids.
    """

    reference: str
    sender: Address
    recipient: Address
    parcels: tuple
    service_level: str = "standard"
    value: float = 0.0
    currency: str = "EUR"
    pickup_point: str = ""
    customer: Address | None = None
    channel_id: int | None = None
    amount: float = 0.0
    promised_days: float | None = None
    package_type_ids: frozenset = frozenset()

    @property
    def weight(self):
        return round(sum(parcel.weight for parcel in self.parcels), 3)

    def returned(self):
        """The return of this shipment: from its recipient back to its sender."""
        return replace(self, sender=self.recipient, recipient=self.sender)

    def addressed_to_customer(self):
        """This shipment with the pickup point's address bearing the customer's name,
        and the customer's phone and e-mail where the point's address has none: for
        carriers that hand the parcel over to the person named on the label."""
        if not self.pickup_point or not self.customer:
            return self
        recipient = replace(
            self.recipient,
            name=self.customer.name or self.recipient.name,
            phone=self.recipient.phone or self.customer.phone,
            email=self.recipient.email or self.customer.email,
        )
        return replace(self, recipient=recipient)


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
