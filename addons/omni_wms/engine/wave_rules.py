"""Which wave rule takes an open order: the first rule, by sequence, whose conditions
all hold (the conditions every Omni rule shares, then the order's type, its carrier and
the zone it is picked in); and when a rule releases its waves."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from odoo.addons.omni_base.engine import rules as rule_base

ORDER_TYPES = (
    "any",
    "single_unit",
    "single_line",
    "multi_line",
    "b2b",
    "priority",
    "click_collect",
    "carrier",
    "zone",
)


@dataclass(frozen=True)
class WaveRule(rule_base.Rule):
    order_type: str = "any"
    carrier_ids: frozenset = field(default_factory=frozenset)
    # parent_path of the zone's location: its sub-locations' paths start with it
    zone_path: str = ""


@dataclass(frozen=True)
class OrderFacts(rule_base.Facts):
    lines: int = 0
    units: float = 0.0
    is_company: bool = False
    priority: bool = False
    store_order: bool = False
    carrier_id: int | None = None
    location_paths: tuple = ()


TYPE_CHECKS = {
    "any": lambda facts: True,
    "single_unit": lambda facts: facts.lines == 1 and abs(facts.units - 1.0) < 1e-9,
    "single_line": lambda facts: facts.lines == 1,
    "multi_line": lambda facts: facts.lines > 1,
    "b2b": lambda facts: facts.is_company,
    "priority": lambda facts: facts.priority,
    "click_collect": lambda facts: facts.store_order,
    # these types are the carrier and zone conditions themselves
    "carrier": lambda facts: True,
    "zone": lambda facts: True,
}


def order_type(rule, facts):
    return TYPE_CHECKS[rule.order_type](facts)


def carrier(rule, facts):
    return not rule.carrier_ids or facts.carrier_id in rule.carrier_ids


def zone(rule, facts):
    if not rule.zone_path:
        return True
    paths = facts.location_paths
    return bool(paths) and all(path.startswith(rule.zone_path) for path in paths)


WAVE_RULES = rule_base.RuleSet(("order type", order_type), ("carrier", carrier), ("zone", zone))


def parse_times(text):
    """Times of day of a comma-separated list such as ``08:00, 13:30`` as hours
    (floats), sorted; ValueError for anything else."""
    hours = []
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        hour, _sep, minute = item.partition(":")
        if not (hour.isdecimal() and (minute or "0").isdecimal()):
            raise ValueError(item)
        hour, minute = int(hour), int(minute or 0)
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError(item)
        hours.append(hour + minute / 60.0)
    return sorted(set(hours))


def at_hour(day, hours):
    """The naive datetime of ``day`` (a date) at ``hours`` (a float)."""
    return datetime.combine(day, time()) + timedelta(minutes=round(hours * 60))


def release_due(release_hours, last_release, now):
    """The latest release time of ``release_hours`` (hours of the day) passed since
    ``last_release`` (None: never released) and not after ``now``, or None. Times are
    naive local datetimes; a release missed yesterday is not made up today."""
    due = None
    for hours in release_hours:
        moment = at_hour(now.date(), hours)
        if moment <= now and (last_release is None or moment > last_release):
            due = moment if due is None else max(due, moment)
    return due


def cutoff_release_hour(cutoff_hours, lead_minutes):
    """The hour a rule releases before its carrier's cut-off."""
    return max(cutoff_hours - lead_minutes / 60.0, 0.0)
