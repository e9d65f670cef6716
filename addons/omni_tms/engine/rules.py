"""What a carrier rule checks beyond what every Omni rule checks the same way
(omni_base's ``engine.rules``: channel, destination, amount): the parcels, the zone, the
service asked for and the delivery promised."""

from dataclasses import dataclass, field

from odoo.addons.omni_base.engine import rules as rule_base


@dataclass(frozen=True)
class RuleSpec(rule_base.Rule):
    """A carrier rule as plain data; empty or zero conditions do not restrict."""

    min_weight: float = 0.0
    max_weight: float = 0.0
    max_length: float = 0.0
    package_type_ids: frozenset = field(default_factory=frozenset)
    zone_ids: frozenset = field(default_factory=frozenset)
    service_levels: frozenset = field(default_factory=frozenset)
    min_promised_days: float = 0.0
    max_promised_days: float = 0.0


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


def _zone(rule, facts):
    return not rule.zone_ids or bool(rule.zone_ids & facts.zone_ids)


def _service_level(rule, facts):
    return not rule.service_levels or facts.service_level in rule.service_levels


def _promised_lead_time(rule, facts):
    if not (rule.min_promised_days or rule.max_promised_days):
        return True
    if facts.promised_days is None:
        return False
    if rule.min_promised_days and facts.promised_days < rule.min_promised_days:
        return False
    return not rule.max_promised_days or facts.promised_days <= rule.max_promised_days


RULES = rule_base.RuleSet(
    ("weight", _weight),
    ("dimensions", _dimensions),
    ("package_type", _package_type),
    ("zone", _zone),
    ("service_level", _service_level),
    ("lead_time", _promised_lead_time),
)
failed_conditions = RULES.failed_conditions
select_rule = RULES.select_rule
