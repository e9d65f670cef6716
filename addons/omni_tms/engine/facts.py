from dataclasses import dataclass, field


@dataclass(frozen=True)
class ShipmentFacts:
    """What carrier rules look at, for an order (estimated) or a picking (packed).

    Weights are in the database's weight unit, lengths in its length unit, amounts in
    the company currency. Unknown values are ``None`` (for example the parcel
    dimensions of an order, which are only known once it is packed).
    """

    weight: float
    parcel_weight: float | None = None
    length: float | None = None
    package_type_ids: frozenset = field(default_factory=frozenset)
    country_id: int | None = None
    zone_ids: frozenset = field(default_factory=frozenset)
    zip: str = ""
    service_level: str = "standard"
    channel_id: int | None = None
    amount: float = 0.0
    promised_days: float | None = None

    @property
    def heaviest_parcel(self):
        return self.weight if self.parcel_weight is None else self.parcel_weight
