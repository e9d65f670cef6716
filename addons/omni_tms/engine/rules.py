"""First-match carrier rules: which conditions a shipment fails, which rule applies."""

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RuleSpec:
    """A carrier rule as plain data; empty or zero conditions do not restrict."""

    id: int
    sequence: int = 10
    min_weight: float = 0.0
    max_weight: float = 0.0
    max_length: float = 0.0
    package_type_ids: frozenset = field(default_factory=frozenset)
    country_ids: frozenset = field(default_factory=frozenset)
    zone_ids: frozenset = field(default_factory=frozenset)
    zip_prefixes: tuple = ()
    service_levels: frozenset = field(default_factory=frozenset)
    channel_ids: frozenset = field(default_factory=frozenset)
    min_amount: float = 0.0
    max_amount: float = 0.0
    min_promised_days: float = 0.0
    max_promised_days: float = 0.0


@dataclass(frozen=True)
class RuleMatch:
    """The rule that applies (or None) and, for each rule tried before, what failed."""

    rule: RuleSpec | None
    rejected: tuple = ()


def zip_matches(prefixes, zip_code):
    """Zip prefixes match the start of the zip; ``$`` ends a prefix to match exactly."""
    if not prefixes:
        return True
    if not zip_code:
        return False
    zip_code = zip_code.strip().upper()
    return any(re.match("^" + prefix.strip().upper(), zip_code) for prefix in prefixes)


def _weight(rule, facts):
    if rule.min_weight and facts.weight < rule.min_weight:
        return False
    return not rule.max_weight or facts.weight <= rule.max_weight


def _dimensions(rule, facts):
    if not rule.max_length:
        return True
    return facts.length is not None and facts.length <= rule.max_length


def _package_type(rule, facts):
    if not rule.package_type_ids:
        return True
    return bool(facts.package_type_ids) and facts.package_type_ids <= rule.package_type_ids


def _destination(rule, facts):
    if rule.country_ids and facts.country_id not in rule.country_ids:
        return False
    if rule.zone_ids and not rule.zone_ids & facts.zone_ids:
        return False
    return zip_matches(rule.zip_prefixes, facts.zip)


def _service_level(rule, facts):
    return not rule.service_levels or facts.service_level in rule.service_levels


def _channel(rule, facts):
    return not rule.channel_ids or facts.channel_id in rule.channel_ids


def _amount(rule, facts):
    if rule.min_amount and facts.amount < rule.min_amount:
        return False
    return not rule.max_amount or facts.amount <= rule.max_amount


def _promised_lead_time(rule, facts):
    if not (rule.min_promised_days or rule.max_promised_days):
        return True
    if facts.promised_days is None:
        return False
    if rule.min_promised_days and facts.promised_days < rule.min_promised_days:
        return False
    return not rule.max_promised_days or facts.promised_days <= rule.max_promised_days


CONDITIONS = (
    ("weight", _weight),
    ("dimensions", _dimensions),
    ("package_type", _package_type),
    ("destination", _destination),
    ("service_level", _service_level),
    ("channel", _channel),
    ("amount", _amount),
    ("lead_time", _promised_lead_time),
)


def failed_conditions(rule, facts):
    """Names of the conditions of ``rule`` that ``facts`` do not meet, in order."""
    return tuple(name for name, check in CONDITIONS if not check(rule, facts))


def select_rule(rules, facts):
    """The first rule by (sequence, id) whose conditions all hold."""
    rejected = []
    for rule in sorted(rules, key=lambda rule: (rule.sequence, rule.id)):
        failed = failed_conditions(rule, facts)
        if not failed:
            return RuleMatch(rule, tuple(rejected))
        rejected.append((rule.id, failed))
    return RuleMatch(None, tuple(rejected))
