"""What every Omni rule checks the same way, and the order rules are tried in.

Routing rules and carrier rules decide different things, but pick the rule that applies
the same way: the first one, by sequence then id, whose conditions all hold. They share
three conditions (the channel, the destination and the amount of what they apply to);
each domain adds its own. Rules and facts are the domains' own plain objects; the shared
conditions read the attributes of ``Rule`` and ``Facts``, which the domains' plain
objects extend; empty or zero does not restrict.

A condition is a ``(name, check)`` pair, ``check(rule, facts)`` returning whether it
holds; the names say what failed.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    """What every rule may ask of what it applies to."""

    id: int
    sequence: int = 10
    channel_ids: frozenset = field(default_factory=frozenset)
    country_ids: frozenset = field(default_factory=frozenset)
    zip_prefixes: tuple = ()
    amount_min: float = 0.0
    amount_max: float = 0.0


@dataclass(frozen=True)
class Facts:
    """What every rule looks at: the sales channel, the destination and the untaxed
    amount in the company's currency."""

    channel_id: int | None = None
    country_id: int | None = None
    zip: str = ""
    amount: float = 0.0


@dataclass(frozen=True)
class RuleMatch:
    """The rule that applies (or None) and, for each rule tried before, what failed."""

    rule: object
    rejected: tuple = ()


def parse_zip_prefixes(text):
    """The prefixes of a comma-separated list, without spaces, in capitals."""
    return tuple(
        prefix.replace(" ", "").upper() for prefix in (text or "").split(",") if prefix.strip()
    )


def zip_matches(prefixes, zip_code):
    """Whether the zip starts with one of the prefixes; a prefix ending with ``$`` is
    the whole zip."""
    if not prefixes:
        return True
    zip_code = (zip_code or "").replace(" ", "").upper()
    if not zip_code:
        return False
    return any(
        zip_code == prefix[:-1] if prefix.endswith("$") else zip_code.startswith(prefix)
        for prefix in prefixes
    )


def channel(rule, facts):
    return not rule.channel_ids or facts.channel_id in rule.channel_ids


def destination(rule, facts):
    if rule.country_ids and facts.country_id not in rule.country_ids:
        return False
    return zip_matches(rule.zip_prefixes, facts.zip)


def amount(rule, facts):
    if rule.amount_min and facts.amount < rule.amount_min:
        return False
    return not rule.amount_max or facts.amount <= rule.amount_max


CONDITIONS = (("channel", channel), ("destination", destination), ("amount", amount))


def rule_order(rule):
    """Rules are tried by sequence, then by id."""
    return (rule.sequence, rule.id)


def failed_conditions(rule, facts, conditions):
    """Names of the ``conditions`` of ``rule`` that ``facts`` do not meet, in order."""
    return tuple(name for name, check in conditions if not check(rule, facts))


def select_rule(rules, facts, conditions):
    """The first rule whose ``conditions`` all hold, with what failed for the others
    tried before it."""
    rejected = []
    for rule in sorted(rules, key=rule_order):
        failed = failed_conditions(rule, facts, conditions)
        if not failed:
            return RuleMatch(rule, tuple(rejected))
        rejected.append((rule.id, failed))
    return RuleMatch(None, tuple(rejected))


def matching_rules(rules, facts, conditions):
    """Every rule whose ``conditions`` all hold, in the order they are tried."""
    return [
        rule
        for rule in sorted(rules, key=rule_order)
        if not failed_conditions(rule, facts, conditions)
    ]


class RuleSet:
    """One kind of rule: the shared conditions followed by its own."""

    def __init__(self, *own_conditions):
        self.conditions = (*CONDITIONS, *own_conditions)

    def failed_conditions(self, rule, facts):
        """Names of the conditions of ``rule`` that ``facts`` do not meet, in order."""
        return failed_conditions(rule, facts, self.conditions)

    def select_rule(self, rules, facts):
        """The first rule (by sequence, then id) whose conditions all hold."""
        return select_rule(rules, facts, self.conditions)

    def matching_rules(self, rules, facts):
        """Every rule whose conditions all hold, in the order they are tried."""
        return matching_rules(rules, facts, self.conditions)
