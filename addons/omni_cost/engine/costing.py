"""Cost per order: what each order cost to fulfil, component by component.

Plain data in, plain data out: the Odoo layer reads the facts of a batch of orders in a
few queries (their transfers, parcels, shipments, returns, channel), hands them to
``cost_orders`` with the rates of the places involved, and posts what ``deltas`` says
differs from what was posted before. Amounts are in the company's currency; the caller
converts carrier prices and invoices before (see ``RateTable``).
"""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

CARRIER = "carrier"
PICKING = "picking"
PACKING = "packing"
STORE = "store"
RETURNS = "returns"
CHANNEL_FEE = "channel_fee"
COMPONENTS = (CARRIER, PICKING, PACKING, STORE, RETURNS, CHANNEL_FEE)

ESTIMATED = "estimated"
ACTUAL = "actual"

# Problems that keep an order from being costed (the rate it needs is missing).
MISSING_LABOUR_RATE = "missing_labour_rate"
MISSING_WALK_SPEED = "missing_walk_speed"
MISSING_STORE_RATE = "missing_store_rate"

ROUNDING = 2


@dataclass(frozen=True)
class PlaceRates:
    """Engineered standards of a warehouse or a store (rates per hour, times in
    seconds, walking speed in metres per minute)."""

    labour_rate: float = 0.0
    walk_speed: float = 0.0
    line_seconds: float = 0.0
    unit_seconds: float = 0.0
    parcel_seconds: float = 0.0
    store_order_minutes: float = 0.0
    inspection_seconds: float = 0.0
    is_store: bool = False


@dataclass
class Transfer:
    """A delivery of the order that is done: where from, its route and what it held."""

    id: int
    order_id: int
    warehouse_id: int
    route_length: float = 0.0
    lines: int = 0
    units: float = 0.0
    parcels: int = 0
    packaging_cost: float = 0.0
    operator_minutes: float = 0.0


@dataclass
class Shipment:
    """A carrier shipment of the order (outbound, or a return label the company pays)."""

    id: int
    order_id: int
    warehouse_id: int
    carrier_id: int
    estimated: float
    actual: float | None = None
    kind: str = "outbound"


@dataclass
class ReturnWork:
    """What a return of the order cost once received: units inspected at a place, and
    the value lost on the units graded below resale."""

    id: int
    order_id: int
    warehouse_id: int
    inspected_units: float = 0.0
    loss: float = 0.0


@dataclass
class Order:
    id: int
    cancelled: bool = False
    channel_id: int | None = None
    warehouse_id: int | None = None
    amount_total: float = 0.0
    fee_percent: float = 0.0
    fee_fixed: float = 0.0


@dataclass(frozen=True)
class CostItem:
    """One cost of one order: its component, the record it comes from, whether it is
    estimated or actual, where (warehouse/store) and by which carrier."""

    order_id: int
    component: str
    source_model: str
    source_id: int
    state: str
    amount: float
    warehouse_id: int | None = None
    carrier_id: int | None = None
    minutes: float = 0.0

    @property
    def key(self):
        return (
            self.order_id,
            self.component,
            self.source_model,
            self.source_id,
            self.state,
            self.warehouse_id or None,
            self.carrier_id or None,
        )


@dataclass
class Problem:
    order_id: int
    code: str
    warehouse_id: int | None = None


@dataclass
class Result:
    items: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def problem_orders(self):
        return {problem.order_id for problem in self.problems}


def _money(amount):
    return round(amount + 0.0, ROUNDING)


def _labour(minutes, rate):
    return _money(minutes * rate / 60.0)


def _transfer_items(transfer, rates, problems):
    """Picking and packing labour and packaging of a warehouse delivery, or the store's
    handling of a delivery made by a store (ship from store, click & collect)."""
    items = []
    common = {
        "order_id": transfer.order_id,
        "source_model": "stock.picking",
        "source_id": transfer.id,
        "state": ESTIMATED,
        "warehouse_id": transfer.warehouse_id,
    }
    if transfer.packaging_cost:
        items.append(CostItem(component=PACKING, amount=_money(transfer.packaging_cost), **common))
    if rates.is_store:
        if rates.labour_rate <= 0:
            problems.append(Problem(transfer.order_id, MISSING_STORE_RATE, transfer.warehouse_id))
            return []
        minutes = transfer.operator_minutes or rates.store_order_minutes
        items.append(
            CostItem(
                component=STORE,
                amount=_labour(minutes, rates.labour_rate),
                minutes=minutes,
                **common,
            )
        )
        return items
    if rates.labour_rate <= 0:
        problems.append(Problem(transfer.order_id, MISSING_LABOUR_RATE, transfer.warehouse_id))
        return []
    if transfer.operator_minutes:
        pick_minutes = transfer.operator_minutes
    else:
        if transfer.route_length and rates.walk_speed <= 0:
            problems.append(Problem(transfer.order_id, MISSING_WALK_SPEED, transfer.warehouse_id))
            return []
        walk = transfer.route_length / rates.walk_speed if transfer.route_length else 0.0
        handling = (transfer.lines * rates.line_seconds + transfer.units * rates.unit_seconds) / 60
        pick_minutes = walk + handling
    items.append(
        CostItem(
            component=PICKING,
            amount=_labour(pick_minutes, rates.labour_rate),
            minutes=pick_minutes,
            **common,
        )
    )
    parcels = max(transfer.parcels, 1)
    pack_minutes = parcels * rates.parcel_seconds / 60
    if pack_minutes:
        items.append(
            CostItem(
                order_id=transfer.order_id,
                component=PACKING,
                source_model="stock.picking",
                source_id=transfer.id,
                state=ESTIMATED,
                warehouse_id=transfer.warehouse_id,
                amount=_labour(pack_minutes, rates.labour_rate),
                minutes=pack_minutes,
            )
        )
    return _merge(items)


def _merge(items):
    """Items of the same key summed (packaging and packing labour of one transfer)."""
    merged = {}
    for item in items:
        previous = merged.get(item.key)
        if previous:
            item = CostItem(
                **{
                    **previous.__dict__,
                    "amount": _money(previous.amount + item.amount),
                    "minutes": previous.minutes + item.minutes,
                }
            )
        merged[item.key] = item
    return list(merged.values())


def _shipment_item(shipment):
    actual = shipment.actual is not None
    return CostItem(
        order_id=shipment.order_id,
        component=CARRIER if shipment.kind == "outbound" else RETURNS,
        source_model="omni.shipment",
        source_id=shipment.id,
        state=ACTUAL if actual else ESTIMATED,
        amount=_money(shipment.actual if actual else shipment.estimated),
        warehouse_id=shipment.warehouse_id,
        carrier_id=shipment.carrier_id,
    )


def _return_items(work, rates, problems):
    items = []
    common = {
        "order_id": work.order_id,
        "component": RETURNS,
        "source_model": "omni.return",
        "source_id": work.id,
        "warehouse_id": work.warehouse_id,
    }
    if work.inspected_units and rates.inspection_seconds:
        if rates.labour_rate <= 0:
            problems.append(Problem(work.order_id, MISSING_LABOUR_RATE, work.warehouse_id))
            return []
        minutes = work.inspected_units * rates.inspection_seconds / 60
        items.append(
            CostItem(
                state=ESTIMATED,
                amount=_labour(minutes, rates.labour_rate),
                minutes=minutes,
                **common,
            )
        )
    if work.loss:
        # The value lost on graded stock is known once graded: it is actual.
        items.append(CostItem(state=ACTUAL, amount=_money(work.loss), **common))
    return items


def _fee_item(order):
    amount = _money(order.amount_total * order.fee_percent / 100.0 + order.fee_fixed)
    if not amount:
        return []
    return [
        CostItem(
            order_id=order.id,
            component=CHANNEL_FEE,
            source_model="crm.team",
            source_id=order.channel_id,
            state=ESTIMATED,
            amount=amount,
            warehouse_id=order.warehouse_id,
        )
    ]


def cost_orders(orders, transfers, shipments, returns, rates):
    """The cost items of ``orders`` ({id: Order}) from their done ``transfers``,
    ``shipments`` and ``returns`` (lists), with the ``rates`` of each place
    ({warehouse id: PlaceRates}). A cancelled order costs nothing (what was posted for
    it is reversed); an order missing a rate is reported in ``problems`` with none of
    its items, so that it is not half-costed."""
    result = Result()
    items = defaultdict(list)
    problems = []
    for transfer in transfers:
        order = orders.get(transfer.order_id)
        if order and not order.cancelled:
            items[order.id] += _transfer_items(
                transfer, rates.get(transfer.warehouse_id, PlaceRates()), problems
            )
    for shipment in shipments:
        order = orders.get(shipment.order_id)
        if order and not order.cancelled:
            items[order.id].append(_shipment_item(shipment))
    for work in returns:
        order = orders.get(work.order_id)
        if order and not order.cancelled:
            items[order.id] += _return_items(
                work, rates.get(work.warehouse_id, PlaceRates()), problems
            )
    for order in orders.values():
        # Fees are owed once the order shipped something.
        if not order.cancelled and items.get(order.id):
            items[order.id] += _fee_item(order)
    result.problems = problems
    blocked = result.problem_orders()
    result.items = [
        item
        for order_id, order_items in items.items()
        if order_id not in blocked
        for item in order_items
        if item.amount
    ]
    return result


def deltas(items, posted, order_ids):
    """What to post so that the posted amounts of ``order_ids`` become ``items``:
    ``posted`` maps an item's key to the amount posted so far; each key whose amount
    changed gets the difference (a key no longer there is reversed in full). Posting
    the result twice is never needed: a second run finds nothing to post."""
    wanted = defaultdict(float)
    templates = {}
    for item in items:
        wanted[item.key] += item.amount
        templates[item.key] = item
    order_ids = set(order_ids)
    result = []
    for key in sorted(set(wanted) | {key for key in posted if key[0] in order_ids}, key=str):
        difference = _money(wanted.get(key, 0.0) - posted.get(key, 0.0))
        if not difference:
            continue
        order_id, component, source_model, source_id, state, warehouse_id, carrier_id = key
        template = templates.get(key)
        result.append(
            CostItem(
                order_id=order_id,
                component=component,
                source_model=source_model,
                source_id=source_id,
                state=state,
                amount=difference,
                warehouse_id=warehouse_id,
                carrier_id=carrier_id,
                minutes=template.minutes if template else 0.0,
            )
        )
    return result


class RateTable:
    """Currency rates as Odoo keeps them (units of a currency for one unit of the
    company's currency, the latest on or before a date), read once for a batch."""

    def __init__(self, rows, company_currency_id):
        """``rows``: (currency id, date, rate), any order."""
        self.company_currency_id = company_currency_id
        by_currency = defaultdict(list)
        for currency_id, day, rate in rows:
            by_currency[currency_id].append((day, rate))
        self._dates = {}
        self._rates = {}
        for currency_id, values in by_currency.items():
            values.sort()
            self._dates[currency_id] = [day for day, _rate in values]
            self._rates[currency_id] = [rate for _day, rate in values]

    def rate(self, currency_id, day):
        dates = self._dates.get(currency_id)
        if not dates:
            return 1.0
        index = bisect.bisect_right(dates, day) - 1
        # Before the first rate, Odoo takes the first one.
        return self._rates[currency_id][max(index, 0)] or 1.0

    def to_company(self, amount, currency_id, day):
        if not amount or not currency_id or currency_id == self.company_currency_id:
            return amount or 0.0
        return amount * self.rate(self.company_currency_id, day) / self.rate(currency_id, day)


def totals(items):
    """{order id: {component: amount, 'estimated': ..., 'actual': ...}} of posted items."""
    result = defaultdict(lambda: defaultdict(float))
    for item in items:
        result[item.order_id][item.component] += item.amount
        result[item.order_id][item.state] += item.amount
    return result
