"""Delivery promise: the earliest date an order reaches its customer (or is ready at
its pickup store), from where it will ship and how.

Plain data in, a ``Promise`` out. The caller gathers, per site (warehouse or store),
its stock for the cart's products, the orders it can still take today, its time zone,
working calendar (public holidays included) and handling time, and the carrier services
picking up there (their cut-off time and transit table). Each line is promised from
the sites routing would ship it from (``Request.sources``) or, when none is given, from
the site that would deliver it first; a line no site holds is promised from incoming
stock when some is expected, otherwise not at all, with the reason.

Reasons are codes with details (``Reason``) so that the caller words them. Nothing here
raises on incomplete configuration: a missing table is a reason, never an exception.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EPSILON = 1e-9
# How far ahead a calendar is searched for a working or opening slot.
HORIZON_DAYS = 60
# Carriers deliver Monday to Friday (weekday numbers of ``datetime.date.weekday``).
CARRIER_DAYS = frozenset(range(5))

# reason codes
UNKNOWN_PRODUCT = "unknown_product"
BAD_QUANTITY = "bad_quantity"
OUT_OF_STOCK = "out_of_stock"
FROM_INCOMING = "from_incoming"
NO_DESTINATION = "no_destination"
NO_CARRIER = "no_carrier"
NO_CUTOFF = "no_cutoff"
NO_TRANSIT = "no_transit"
NO_CALENDAR_SLOT = "no_calendar_slot"
STORE_CLOSED = "store_closed"
NO_STORE = "no_store"
EMPTY_CART = "empty_cart"


class Reason(NamedTuple):
    code: str
    details: dict


@dataclass(frozen=True)
class Calendar:
    """Working (or opening) hours: weekday (0 Monday) -> ((hour from, hour to), ...),
    in the site's local time, and the local dates it is closed (public holidays)."""

    hours: dict
    holidays: frozenset = frozenset()

    def slots(self, day):
        """The day's (start, end) local datetimes, none on a holiday."""
        if day in self.holidays:
            return ()
        midnight = dt.datetime.combine(day, dt.time())
        return tuple(
            (midnight + dt.timedelta(hours=start), midnight + dt.timedelta(hours=end))
            for start, end in self.hours.get(day.weekday(), ())
        )

    def is_working_day(self, day):
        return bool(self.slots(day))


ALWAYS = Calendar({weekday: ((0.0, 24.0),) for weekday in range(7)})


@dataclass(frozen=True)
class TransitRow:
    """Transit days of a carrier service to a zone: a country (None: any) and a zip
    prefix (empty: the whole country)."""

    country: object
    zip_prefix: str
    days: int


@dataclass(frozen=True)
class Service:
    """A carrier service picking up at a site. ``cutoff`` is the local hour (e.g. 16.5
    for 16:30) after which a parcel leaves the next pickup day; None when not set."""

    key: object
    name: str
    cutoff: float | None
    transit: tuple = ()  # TransitRow
    tz: str | None = None  # time zone of the cut-off; None: the site's


@dataclass(frozen=True)
class Site:
    key: object
    name: str
    stock: dict  # product -> quantity it can ship
    tz: str = "UTC"
    calendar: Calendar | None = None  # working hours; None: always working
    handling_hours: float = 0.0  # working hours to prepare an order
    capacity: float | None = None  # orders it can still take today; None: no limit
    services: tuple = ()  # Service
    is_store: bool = False
    opening_hours: Calendar | None = None  # stores: when customers collect
    resupply_days: int = 1  # stores: days for missing items to reach the store
    incoming: dict = field(default_factory=dict)  # product -> ((UTC datetime, qty), ...)


@dataclass(frozen=True)
class Line:
    key: object
    product: object  # None: unknown product
    quantity: float
    label: str = ""


@dataclass(frozen=True)
class Request:
    lines: tuple
    sites: tuple
    now: dt.datetime  # naive UTC
    country: object = None
    zip: str = ""
    pickup_store: object = None  # site key: click & collect at this store
    sources: dict = field(default_factory=dict)  # line key -> site keys routing ships from


@dataclass
class LinePromise:
    key: object
    date: dt.date | None = None  # delivery date (or pickup-ready date)
    ready: dt.datetime | None = None  # naive UTC: parcel ready (or ready at the store)
    ship_date: dt.date | None = None
    site: object = None
    service: object = None
    order_before: dt.datetime | None = None  # naive UTC: cut-off the date depends on
    reasons: list = field(default_factory=list)

    @property
    def promised(self):
        return self.date is not None


@dataclass
class Promise:
    date: dt.date | None
    lines: list
    kind: str  # "delivery" or "collect"
    order_before: dt.datetime | None = None
    reasons: list = field(default_factory=list)

    @property
    def promised(self):
        return self.date is not None


# Time helpers ------------------------------------------------------------------


def _zone(name):
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def to_local(moment, tz):
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(_zone(tz)).replace(tzinfo=None)


def to_utc(moment, tz):
    return moment.replace(tzinfo=_zone(tz)).astimezone(dt.timezone.utc).replace(tzinfo=None)


def add_working_hours(calendar, start, hours):
    """The local datetime when ``hours`` of work done in ``calendar``'s slots from
    ``start`` (local) end; None when the calendar has no slot within the horizon."""
    calendar = calendar or ALWAYS
    left = max(hours, 0.0)
    day = start.date()
    for _offset in range(HORIZON_DAYS):
        for slot_start, slot_end in calendar.slots(day):
            begin = max(slot_start, start)
            if begin >= slot_end:
                continue
            available = (slot_end - begin).total_seconds() / 3600
            if left <= available + EPSILON:
                return begin + dt.timedelta(hours=left)
            left -= available
        day += dt.timedelta(days=1)
    return None


def first_open(calendar, start):
    """The first local moment at or after ``start`` within ``calendar``'s slots."""
    return add_working_hours(calendar, start, 0.0)


def add_carrier_days(day, days):
    for _step in range(max(days, 0)):
        day += dt.timedelta(days=1)
        while day.weekday() not in CARRIER_DAYS:
            day += dt.timedelta(days=1)
    return day


def transit_days(rows, country, zip_code):
    """Days of the row of the longest zip prefix matching the destination, rows of its
    country before rows of any country; None when no row matches."""
    zip_code = (zip_code or "").replace(" ", "").upper()
    best = None
    for row in rows:
        if row.country is not None and row.country != country:
            continue
        prefix = (row.zip_prefix or "").replace(" ", "").upper()
        if not zip_code.startswith(prefix):
            continue
        rank = (row.country is not None, len(prefix))
        if best is None or rank > best[0]:
            best = (rank, row.days)
    return best[1] if best else None


# Promise -------------------------------------------------------------------------


def promise(request):
    """The promise of ``request``: per line and for the order (the latest line)."""
    if not request.lines:
        return Promise(None, [], _kind(request), reasons=[Reason(EMPTY_CART, {})])
    sites = {site.key: site for site in request.sites}
    if request.pickup_store is not None:
        store = sites.get(request.pickup_store)
        if store is None:
            return Promise(
                None,
                [],
                "collect",
                reasons=[Reason(NO_STORE, {"store": request.pickup_store})],
            )
        lines = [_collect_line(request, line, store, sites) for line in request.lines]
    elif request.country is None:
        return Promise(None, [], "delivery", reasons=[Reason(NO_DESTINATION, {})])
    else:
        cache = {}
        lines = [_delivery_line(request, line, sites, cache) for line in request.lines]
    return _order_promise(request, lines)


def _kind(request):
    return "collect" if request.pickup_store is not None else "delivery"


def _order_promise(request, lines):
    kind = _kind(request)
    missing = [line for line in lines if not line.promised]
    if missing:
        reasons = [reason for line in missing for reason in line.reasons]
        return Promise(None, lines, kind, reasons=reasons)
    latest = max(lines, key=lambda line: (line.date, line.ready))
    # Ordering after a cut-off moves the order's date only when it moves its latest line.
    before = [line.order_before for line in lines if line.order_before and line.date == latest.date]
    return Promise(latest.date, lines, kind, order_before=min(before) if before else None)


def _check_line(line):
    if line.product is None:
        return Reason(UNKNOWN_PRODUCT, {"line": line.label or line.key})
    if not isinstance(line.quantity, (int, float)) or line.quantity <= 0:
        return Reason(BAD_QUANTITY, {"line": line.label or line.key, "quantity": line.quantity})
    return None


def _delivery_line(request, line, sites, cache):
    result = LinePromise(line.key)
    problem = _check_line(line)
    if problem:
        result.reasons.append(problem)
        return result
    keys = request.sources.get(line.key)
    if keys:
        holders = [sites[key] for key in keys if key in sites]
    else:
        holders = [
            site
            for site in request.sites
            if site.stock.get(line.product, 0.0) + EPSILON >= line.quantity
        ]
    best, failures = None, []
    for site in holders:
        option = cache.get(site.key)
        if option is None:
            option = cache[site.key] = _ship_from(request, site, request.now)
        if isinstance(option, Reason):
            failures.append(option)
        elif best is None or (option.date, option.ready) < (best.date, best.ready):
            best = option
    if best is None and not holders:
        best = _from_incoming(request, line, failures)
    if best is None:
        result.reasons.extend(failures or [Reason(OUT_OF_STOCK, {"line": line.label})])
        return result
    return replace(best, key=line.key, reasons=list(best.reasons))


def _from_incoming(request, line, failures):
    """The earliest delivery from stock expected at some site, or None."""
    best = None
    for site in request.sites:
        received, arrival = 0.0, None
        for moment, quantity in sorted(site.incoming.get(line.product, ())):
            received += quantity
            if received + EPSILON >= line.quantity:
                arrival = max(moment, request.now)
                break
        if arrival is None:
            continue
        option = _ship_from(request, site, arrival)
        if isinstance(option, Reason):
            failures.append(option)
        elif best is None or (option.date, option.ready) < (best.date, best.ready):
            best = option
    if best is not None:
        best.order_before = None
        best.reasons.append(Reason(FROM_INCOMING, {"line": line.label, "site": best.site}))
    else:
        failures.insert(0, Reason(OUT_OF_STOCK, {"line": line.label}))
    return best


def _ready_at_site(site, start_utc, now):
    """Local datetime the site has an order prepared, started at ``start_utc``."""
    start = to_local(start_utc, site.tz)
    if site.capacity is not None and site.capacity < 1:
        # full today: preparation starts the next day
        start = dt.datetime.combine(to_local(now, site.tz).date() + dt.timedelta(days=1), dt.time())
        start = max(start, to_local(start_utc, site.tz))
    return add_working_hours(site.calendar, start, site.handling_hours)


def _ship_from(request, site, start_utc):
    """The earliest ``LinePromise`` from ``site`` to the destination, or the Reason why
    it cannot promise."""
    if not site.services:
        return Reason(NO_CARRIER, {"site": site.name})
    ready = _ready_at_site(site, start_utc, request.now)
    if ready is None:
        return Reason(NO_CALENDAR_SLOT, {"site": site.name})
    best, problems = None, []
    for service in site.services:
        if service.cutoff is None:
            problems.append(Reason(NO_CUTOFF, {"site": site.name, "service": service.name}))
            continue
        days = transit_days(service.transit, request.country, request.zip)
        if days is None:
            problems.append(
                Reason(
                    NO_TRANSIT,
                    {
                        "site": site.name,
                        "service": service.name,
                        "country": request.country,
                        "zip": request.zip,
                    },
                )
            )
            continue
        ship_day, cutoff = _pickup_day(site, service, ready)
        if ship_day is None:
            problems.append(Reason(NO_CALENDAR_SLOT, {"site": site.name}))
            continue
        delivered = add_carrier_days(ship_day, days)
        if best is None or delivered < best.date:
            best = LinePromise(
                key=None,
                date=delivered,
                ready=to_utc(ready, site.tz),
                ship_date=ship_day,
                site=site.key,
                service=service.key,
                order_before=_order_before(site, cutoff, request.now),
            )
    return best if best is not None else problems[0]


def _pickup_day(site, service, ready):
    """(local date, local cut-off datetime) of the first pickup of ``service`` at
    ``site`` the parcel ready at local ``ready`` makes: a working day of the site."""
    calendar = site.calendar or ALWAYS
    day = ready.date()
    for _offset in range(HORIZON_DAYS):
        cutoff = dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=service.cutoff)
        if service.tz and service.tz != site.tz:
            cutoff = to_local(to_utc(cutoff, service.tz), site.tz)
        if calendar.is_working_day(day) and ready <= cutoff:
            return day, cutoff
        day += dt.timedelta(days=1)
    return None, None


def _order_before(site, cutoff, now):
    """The cut-off (UTC) to order before for this date when it is still ahead today."""
    cutoff_utc = to_utc(cutoff, site.tz)
    if cutoff_utc > now and to_local(now, site.tz).date() == cutoff.date():
        return cutoff_utc
    return None


def _collect_line(request, line, store, sites):
    """When ``line`` is ready at ``store``: from its shelf after handling, or brought
    from another site (``resupply_days``) then handled, within opening hours."""
    result = LinePromise(line.key, site=store.key)
    problem = _check_line(line)
    if problem:
        result.reasons.append(problem)
        return result
    hours = store.opening_hours
    if hours is None:
        result.reasons.append(Reason(STORE_CLOSED, {"store": store.name}))
        return result
    local_now = to_local(request.now, store.tz)
    if store.stock.get(line.product, 0.0) + EPSILON >= line.quantity:
        start = local_now
    else:
        elsewhere = [
            site
            for site in request.sites
            if site.key != store.key
            and site.stock.get(line.product, 0.0) + EPSILON >= line.quantity
        ]
        if not elsewhere:
            result.reasons.append(Reason(OUT_OF_STOCK, {"line": line.label}))
            return result
        start = dt.datetime.combine(
            local_now.date() + dt.timedelta(days=store.resupply_days), dt.time()
        )
    ready = add_working_hours(hours, start, store.handling_hours)
    if ready is None:
        result.reasons.append(Reason(STORE_CLOSED, {"store": store.name}))
        return result
    result.date = ready.date()
    result.ready = to_utc(ready, store.tz)
    result.ship_date = ready.date()
    return result
