"""Order routing: which warehouses or stores ship which quantities of an order.

Plain data in, a ``Decision`` out. The caller gathers candidates (their stock for the
order's products, their remaining capacity, their coordinates and shipping cost model)
and applies order filters; this module filters and ranks the candidates, then allocates
the order either in ranking order (``sequence``) or at the least estimated shipping cost
(``cost``), and explains what it did with each candidate.

Reasons are codes with details (``Rejection``) so that the caller words them.
"""

import math
from dataclasses import dataclass, field, replace
from typing import NamedTuple

EARTH_RADIUS_KM = 6371.0
SORT_KEYS = ("distance", "coverage", "priority", "cost", "load")
MODES = ("sequence", "cost")
EPSILON = 1e-9
# Without a maximum number of shipments, the cost search looks at sets up to this size,
# and at most SEARCH_BUDGET sets: beyond, it keeps the best plan found.
COST_SEARCH_MAX_SHIPMENTS = 3
SEARCH_BUDGET = 10000


def haversine_km(latitude1, longitude1, latitude2, longitude2):
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(latitude1), math.radians(latitude2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(longitude2 - longitude1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Line:
    """A quantity of a product to ship. Lines sharing a ``group`` ship from one place."""

    key: object
    product: int
    quantity: float
    unit_weight: float = 0.0
    unit_value: float = 0.0
    group: object = None


@dataclass(frozen=True)
class ShippingCost:
    """Estimated cost of one shipment: fixed part, per kilogram, per kilometre."""

    base: float = 0.0
    per_kg: float = 0.0
    per_km: float = 0.0

    def fixed(self, distance_km):
        return self.base + self.per_km * (distance_km or 0.0)

    def estimate(self, weight, distance_km):
        return self.fixed(distance_km) + self.per_kg * weight


@dataclass(frozen=True)
class Candidate:
    """A warehouse or store that could ship (part of) the order."""

    key: object
    name: str
    latitude: float | None
    longitude: float | None
    stock: dict  # product -> quantity it can ship for this order
    priority: int = 0
    capacity: float | None = None  # orders it can still take; None: no limit
    load: float = 0.0  # share of its capacity already used, for balancing
    shipping: ShippingCost = ShippingCost()


@dataclass(frozen=True)
class Policy:
    sort_keys: tuple = (("distance", False),)  # (key, descending) pairs
    mode: str = "sequence"
    max_distance_km: float | None = None
    whole_order_only: bool = False
    respect_capacity: bool = True
    min_split_value: float = 0.0
    max_shipments: int | None = None
    split_penalty: float = 0.0

    def __post_init__(self):
        unknown = [key for key, _descending in self.sort_keys if key not in SORT_KEYS]
        if unknown or self.mode not in MODES:
            raise ValueError(f"Unknown sort keys {unknown} or mode {self.mode!r}")
        if self.max_shipments is not None and self.max_shipments < 1:
            raise ValueError("max_shipments must be at least 1")


class Rejection(NamedTuple):
    code: str
    details: dict


@dataclass
class CandidateTrace:
    key: object
    name: str
    distance_km: float | None
    coverage: float
    estimated_cost: float
    load: float
    rank: int | None = None
    rejection: Rejection | None = None
    shipped: bool = False


@dataclass(frozen=True)
class Allocation:
    line: object
    candidate: object
    quantity: float


@dataclass
class Plan:
    allocations: list
    cost: float
    shipments: int

    def allocated(self):
        totals = {}
        for allocation in self.allocations:
            totals[allocation.line] = totals.get(allocation.line, 0.0) + allocation.quantity
        return totals


@dataclass
class Decision:
    status: str  # complete, partial or none
    allocations: list
    unallocated: dict  # line key -> quantity no candidate could ship
    candidates: list  # CandidateTrace, ranked ones first
    shipments: int
    estimated_cost: float
    nearest_first: Plan | None = None
    reason: Rejection | None = None
    extra: dict = field(default_factory=dict)


def route(lines, candidates, destination, policy):
    """Decide where each line ships from. ``destination`` is (latitude, longitude) or None."""
    needed = _needed_by_product(lines)
    traces = {c.key: _trace(c, lines, needed, destination) for c in candidates}
    eligible = [c for c in candidates if not _reject(c, traces[c.key], needed, policy)]
    ranked = sorted(eligible, key=lambda c: _sort_key(traces[c.key], c, policy.sort_keys))
    for rank, candidate in enumerate(ranked, start=1):
        traces[candidate.key].rank = rank
    if not lines:
        return _decision(lines, traces, candidates, ranked, Plan([], 0.0, 0), None)

    if policy.mode == "cost":
        plan = _cheapest_plan(lines, ranked, traces, policy)
        baseline_policy = replace(policy, mode="sequence", sort_keys=(("distance", False),))
        baseline_order = sorted(
            eligible, key=lambda c: _sort_key(traces[c.key], c, baseline_policy.sort_keys)
        )
        baseline = _sequence_plan(lines, baseline_order, traces, baseline_policy, record=False)
        if plan is None:
            plan = _sequence_plan(lines, ranked, traces, policy)
    else:
        plan, baseline = _sequence_plan(lines, ranked, traces, policy), None
    return _decision(lines, traces, candidates, ranked, plan, baseline)


# Candidates ---------------------------------------------------------------


def _needed_by_product(lines):
    needed = {}
    for line in lines:
        needed[line.product] = needed.get(line.product, 0.0) + line.quantity
    return needed


def _trace(candidate, lines, needed, destination):
    distance = None
    if destination and candidate.latitude is not None and candidate.longitude is not None:
        distance = haversine_km(candidate.latitude, candidate.longitude, *destination)
    total = sum(needed.values())
    covered = sum(min(candidate.stock.get(p, 0.0), qty) for p, qty in needed.items())
    weights = {line.product: line.unit_weight for line in lines}
    weight = sum(min(candidate.stock.get(p, 0.0), qty) * weights[p] for p, qty in needed.items())
    return CandidateTrace(
        key=candidate.key,
        name=candidate.name,
        distance_km=distance,
        coverage=covered / total if total else 0.0,
        estimated_cost=candidate.shipping.estimate(weight, distance),
        load=candidate.load,
    )


def _reject(candidate, trace, needed, policy):
    """Record why ``candidate`` cannot take part; return the rejection or None."""
    rejection = None
    if policy.max_distance_km is not None and trace.distance_km is None:
        rejection = Rejection("no_coordinates", {})
    elif policy.max_distance_km is not None and trace.distance_km > policy.max_distance_km:
        rejection = Rejection(
            "too_far",
            {"distance_km": round(trace.distance_km, 1), "max_distance_km": policy.max_distance_km},
        )
    elif policy.respect_capacity and candidate.capacity is not None and candidate.capacity <= 0:
        rejection = Rejection("at_capacity", {})
    elif trace.coverage <= EPSILON:
        rejection = Rejection("no_stock", {})
    elif policy.whole_order_only and trace.coverage < 1 - EPSILON:
        missing = {
            p: qty - candidate.stock.get(p, 0.0)
            for p, qty in needed.items()
            if candidate.stock.get(p, 0.0) < qty - EPSILON
        }
        rejection = Rejection("not_whole_order", {"missing": missing})
    trace.rejection = rejection
    return rejection


def _sort_key(trace, candidate, sort_keys):
    values = {
        "distance": trace.distance_km if trace.distance_km is not None else math.inf,
        "coverage": trace.coverage,
        "priority": candidate.priority,
        "cost": trace.estimated_cost,
        "load": trace.load,
    }
    key = tuple(-values[name] if descending else values[name] for name, descending in sort_keys)
    return (*key, str(candidate.key))


# Allocation -----------------------------------------------------------------


class Unit(NamedTuple):
    """Lines allocated together: a rigid unit ships whole from a single place."""

    rigid: bool
    lines: list


def _units(lines):
    """Each group of lines as one rigid unit, every other line as a unit that may split."""
    grouped, units = {}, []
    for line in lines:
        if line.group is None:
            units.append(Unit(False, [line]))
        elif line.group in grouped:
            grouped[line.group].append(line)
        else:
            grouped[line.group] = [line]
            units.append(Unit(True, grouped[line.group]))
    return units


def _take(candidate, units, remaining, stock_left):
    """What ``candidate`` can ship of the remaining quantities: {line key: quantity}."""
    taken = {}
    stock = stock_left[candidate.key]
    for unit in units:
        wanted = [
            (line, remaining[line.key]) for line in unit.lines if remaining[line.key] > EPSILON
        ]
        if not wanted:
            continue
        if unit.rigid:
            needed = {}
            for line, qty in wanted:
                needed[line.product] = needed.get(line.product, 0.0) + qty
            if all(stock.get(p, 0.0) >= qty - EPSILON for p, qty in needed.items()):
                for line, qty in wanted:
                    taken[line.key] = qty
                    stock[line.product] -= qty
            continue
        line, qty = wanted[0]
        quantity = min(qty, stock.get(line.product, 0.0))
        if quantity > EPSILON:
            taken[line.key] = quantity
            stock[line.product] -= quantity
    return taken


def _shipment_cost(candidate, trace, taken, lines_by_key):
    weight = sum(qty * lines_by_key[key].unit_weight for key, qty in taken.items())
    return candidate.shipping.estimate(weight, trace.distance_km)


def _sequence_plan(lines, ranked, traces, policy, record=True):
    """Fill the order from the candidates in ranking order."""
    lines_by_key = {line.key: line for line in lines}
    units = _units(lines)
    remaining = {line.key: line.quantity for line in lines}
    stock_left = {c.key: dict(c.stock) for c in ranked}
    allocations, cost, shipments = [], 0.0, 0
    for candidate in ranked:
        trace = traces[candidate.key]
        if all(qty <= EPSILON for qty in remaining.values()):
            break
        if policy.max_shipments is not None and shipments >= policy.max_shipments:
            if record:
                limit = {"max_shipments": policy.max_shipments}
                trace.rejection = Rejection("max_shipments", limit)
            continue
        saved = dict(stock_left[candidate.key])
        taken = _take(candidate, units, remaining, stock_left)
        value = sum(qty * lines_by_key[key].unit_value for key, qty in taken.items())
        if not taken:
            if record:
                trace.rejection = Rejection("no_stock_for_rest", {})
            continue
        if shipments and value < policy.min_split_value - EPSILON:
            stock_left[candidate.key] = saved
            if record:
                trace.rejection = Rejection(
                    "split_below_min_value",
                    {"value": round(value, 2), "min_value": policy.min_split_value},
                )
            continue
        for key, qty in taken.items():
            remaining[key] -= qty
            allocations.append(Allocation(key, candidate.key, qty))
        cost += _shipment_cost(candidate, trace, taken, lines_by_key)
        shipments += 1
    cost += policy.split_penalty * max(shipments - 1, 0)
    return Plan(allocations, cost, shipments)


def _cheapest_plan(lines, ranked, traces, policy):
    """Complete plan with the least estimated cost (+ split penalty), or None.

    Branch and bound over sets of candidates taken by increasing fixed cost, seeded with
    the greedy plan in cost order. Only sets whose pooled stock covers the order are
    allocated: groups go to the cheapest member holding all of them, then each product's
    units go to members by increasing cost per kilogram, which is optimal for lines that
    may split once the fixed costs are paid.
    """
    lines_by_key = {line.key: line for line in lines}
    needed = _needed_by_product(lines)
    members = sorted(ranked, key=lambda c: c.shipping.fixed(traces[c.key].distance_km))
    fixed = [c.shipping.fixed(traces[c.key].distance_km) for c in members]
    held = [tuple(min(c.stock.get(p, 0.0), qty) for p, qty in needed.items()) for c in members]
    wanted = tuple(needed.values())
    max_size = min(policy.max_shipments or COST_SEARCH_MAX_SHIPMENTS, len(members))
    floor = _variable_cost_floor(lines, members)
    by_cost = sorted(ranked, key=lambda c: traces[c.key].estimated_cost)
    seed = _sequence_plan(lines, by_cost, traces, replace(policy, mode="sequence"), record=False)
    best = [seed if _is_complete(seed, lines) else None]
    budget = [SEARCH_BUDGET]

    def explore(start, chosen, fixed_cost, pooled):
        size = len(chosen) + 1
        for index in range(start, len(members)):
            budget[0] -= 1
            total_fixed = fixed_cost + fixed[index]
            bound = total_fixed + floor + policy.split_penalty * (size - 1)
            if budget[0] < 0 or (best[0] is not None and bound >= best[0].cost - EPSILON):
                return  # later members have higher fixed costs: they bound higher
            group = [*chosen, members[index]]
            stock = tuple(a + b for a, b in zip(pooled, held[index], strict=True))
            if all(have >= want - EPSILON for have, want in zip(stock, wanted, strict=True)):
                plan = _allocate_within(group, lines, lines_by_key, traces, policy)
                if plan is not None and (best[0] is None or plan.cost < best[0].cost - EPSILON):
                    best[0] = plan
            if size < max_size:
                explore(index + 1, group, total_fixed, stock)

    explore(0, [], 0.0, tuple(0.0 for _want in wanted))
    return best[0]


def _is_complete(plan, lines):
    allocated = plan.allocated()
    return all(allocated.get(line.key, 0.0) >= line.quantity - EPSILON for line in lines)


def _variable_cost_floor(lines, members):
    floor = 0.0
    for line in lines:
        rates = [c.shipping.per_kg for c in members if c.stock.get(line.product, 0.0) > EPSILON]
        floor += min(rates, default=0.0) * line.unit_weight * line.quantity
    return floor


def _allocate_within(group, lines, lines_by_key, traces, policy):
    """Complete allocation of the order within ``group`` (every member ships), or None."""
    by_rate = sorted(group, key=lambda c: (c.shipping.per_kg, str(c.key)))
    stock_left = {c.key: dict(c.stock) for c in group}
    remaining = {line.key: line.quantity for line in lines}
    taken = {c.key: {} for c in group}
    units = _units(lines)
    for unit in sorted(units, key=lambda unit: not unit.rigid):
        for candidate in by_rate:
            for key, qty in _take(candidate, [unit], remaining, stock_left).items():
                remaining[key] -= qty
                taken[candidate.key][key] = taken[candidate.key].get(key, 0.0) + qty
    if any(qty > EPSILON for qty in remaining.values()) or not all(taken.values()):
        return None
    values = [sum(q * lines_by_key[k].unit_value for k, q in t.items()) for t in taken.values()]
    if len(group) > 1 and min(values) < policy.min_split_value - EPSILON:
        return None
    cost = sum(
        _shipment_cost(c, traces[c.key], taken[c.key], lines_by_key) for c in group
    ) + policy.split_penalty * (len(group) - 1)
    allocations = [Allocation(key, c.key, qty) for c in group for key, qty in taken[c.key].items()]
    return Plan(allocations, cost, len(group))


def _decision(lines, traces, candidates, eligible, plan, baseline):
    allocations = plan.allocations
    allocated = plan.allocated()
    unallocated = {
        line.key: line.quantity - allocated.get(line.key, 0.0)
        for line in lines
        if line.quantity - allocated.get(line.key, 0.0) > EPSILON
    }
    for allocation in allocations:
        traces[allocation.candidate].shipped = True
    status = "complete" if not unallocated else ("partial" if allocations else "none")
    reason = None
    if status == "none":
        code = "no_candidate" if not candidates else "all_rejected" if not eligible else None
        reason = Rejection(code or "no_stock_for_rest", {})
    ordered = sorted(traces.values(), key=lambda t: (t.rank is None, t.rank or 0, str(t.key)))
    return Decision(
        status=status,
        allocations=allocations,
        unallocated=unallocated,
        candidates=ordered,
        shipments=plan.shipments,
        estimated_cost=plan.cost,
        nearest_first=baseline,
        reason=reason,
    )
