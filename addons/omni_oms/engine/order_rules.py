"""Which orders a routing rule takes, beyond what every Omni rule checks the same way
(omni_base's ``engine.rules``: channel, destination, amount): the kind of customer,
the product categories and the order's tags."""

from dataclasses import dataclass, field

from odoo.addons.omni_base.engine import rules as rule_base


@dataclass(frozen=True)
class OrderRule(rule_base.Rule):
    """A routing rule's order conditions; empty or zero ones do not restrict."""

    customer_type: str = "any"  # "any", "b2b" or "b2c"
    categ_ids: frozenset = field(default_factory=frozenset)
    tag_ids: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class OrderFacts(rule_base.Facts):
    """What routing rules look at on an order; ``categ_ids`` are the categories of its
    products and every category above them, the amount is untaxed in the company's
    currency."""

    is_company: bool = False
    categ_ids: frozenset = field(default_factory=frozenset)
    tag_ids: frozenset = field(default_factory=frozenset)


def customer_type(rule, facts):
    if rule.customer_type == "any":
        return True
    return facts.is_company == (rule.customer_type == "b2b")


def categories(rule, facts):
    return not rule.categ_ids or bool(rule.categ_ids & facts.categ_ids)


def tags(rule, facts):
    return not rule.tag_ids or bool(rule.tag_ids & facts.tag_ids)


RULES = rule_base.RuleSet(
    ("customer_type", customer_type),
    ("categories", categories),
    ("tags", tags),
)
failed_conditions = RULES.failed_conditions
matching_rules = RULES.matching_rules
