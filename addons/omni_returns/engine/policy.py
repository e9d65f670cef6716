"""Return policies: which one applies to a return, and what it says of each line.

A return policy is an Omni rule (omni_base's ``engine.rules``): the first policy, by
sequence then id, whose conditions hold applies. Besides the shared conditions (channel,
destination, amount of the order) a policy may be limited to requests coming from some
places (the backend, the customer portal, the store counter).

What the policy then says of each line asked for:

- problems of the input, never overridden: a line not on the order, not delivered,
  or asking more than is left to return;
- refusals of the policy, which a manager may override with a note: no policy, returns
  not accepted, past the return window, a non-returnable category or product;
- whether someone must approve the return (a reason needing approval), which lines bear
  the restocking fee, and whether the customer pays the return label.

Dates are ``datetime.date``; amounts are in the company's currency.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from odoo.addons.omni_base.engine import rules as rule_base

# Problems of the input: the request is wrong, whatever the policy.
NOT_ON_ORDER = "not_on_order"
NOT_DELIVERED = "not_delivered"
TOO_MANY = "too_many"
NO_QUANTITY = "no_quantity"
NO_REASON = "no_reason"
INPUT_PROBLEMS = frozenset({NOT_ON_ORDER, NOT_DELIVERED, TOO_MANY, NO_QUANTITY, NO_REASON})

# Refusals of the policy: a manager may override them with a note.
NO_POLICY = "no_policy"
NOT_ACCEPTED = "not_accepted"
WINDOW = "window"
CATEGORY = "category"
PRODUCT = "product"

# Who pays the return label.
LABEL_FREE = "company"
LABEL_PAID = "customer"
LABEL_FREE_ABOVE = "free_above"

# Where returns are received.
RECEIVE_ORIGINAL = "original"
RECEIVE_NEAREST = "nearest"
RECEIVE_CATEGORY = "category"
RECEIVE_FIXED = "fixed"

EPSILON = 1e-6


@dataclass(frozen=True)
class Policy(rule_base.Rule):
    """A return policy as plain data; empty or zero conditions do not restrict.

    ``return_days`` 0 accepts returns whenever; ``excluded_product_ids`` are product
    templates; ``fee_percent`` is taken on the value returned of lines whose reason
    is not defective.
    """

    request_channels: frozenset = field(default_factory=frozenset)
    accepts_returns: bool = True
    return_days: int = 0
    excluded_categ_ids: frozenset = field(default_factory=frozenset)
    excluded_product_ids: frozenset = field(default_factory=frozenset)
    approval_reason_ids: frozenset = field(default_factory=frozenset)
    fee_percent: float = 0.0
    label_payer: str = LABEL_FREE
    label_free_above: float = 0.0
    receiving_mode: str = RECEIVE_ORIGINAL


@dataclass(frozen=True)
class OrderFacts(rule_base.Facts):
    """What policies look at on the order returned and the request: the order's sales
    channel, delivery country and zip, untaxed amount, and where the request comes
    from (``backend``, ``portal`` or ``store``)."""

    request_channel: str = "backend"


@dataclass(frozen=True)
class Reason:
    id: int
    defective: bool = False
    needs_approval: bool = False


@dataclass(frozen=True)
class LineFacts:
    """A line asked for: ``returnable`` is what was delivered and not returned or
    being returned yet, ``delivered_on`` the date its last delivery reached the
    customer (None: never delivered), ``categ_ids`` the product's category and those
    above it, ``value`` the untaxed value of the quantity asked for."""

    key: object
    product_tmpl_id: int | None = None
    categ_ids: frozenset = field(default_factory=frozenset)
    quantity: float = 0.0
    returnable: float = 0.0
    delivered_on: object = None
    reason: Reason | None = None
    value: float = 0.0
    on_order: bool = True


@dataclass(frozen=True)
class Problem:
    """What is wrong with a line (``line`` None: with the whole request): ``code``,
    and the figures to say it with."""

    line: object
    code: str
    details: tuple = ()

    @property
    def overridable(self):
        return self.code not in INPUT_PROBLEMS

    def detail(self, name, default=None):
        return dict(self.details).get(name, default)


@dataclass(frozen=True)
class Decision:
    """What the policy (``policy_id``, None when none applies) says of a request."""

    policy_id: int | None
    problems: tuple = ()
    approval_lines: tuple = ()
    fee_lines: tuple = ()
    fee_percent: float = 0.0
    label_charged: bool = False

    @property
    def input_problems(self):
        return tuple(problem for problem in self.problems if not problem.overridable)

    @property
    def refusals(self):
        return tuple(problem for problem in self.problems if problem.overridable)

    @property
    def accepted(self):
        return not self.problems

    @property
    def needs_approval(self):
        return bool(self.approval_lines)


def _request_channel(rule, facts):
    return not rule.request_channels or facts.request_channel in rule.request_channels


POLICIES = rule_base.RuleSet(("request_channel", _request_channel))
select_policy = POLICIES.select_rule


def deadline(policy, delivered_on):
    """The last day the line delivered on ``delivered_on`` may be returned (None: no
    limit, or not delivered)."""
    if not policy or not policy.return_days or delivered_on is None:
        return None
    return delivered_on + timedelta(days=policy.return_days)


def input_problems(line):
    """Problems of ``line`` as asked, whatever the policy."""
    if not line.on_order:
        return (Problem(line.key, NOT_ON_ORDER),)
    if line.quantity <= EPSILON:
        return (Problem(line.key, NO_QUANTITY),)
    if line.reason is None:
        return (Problem(line.key, NO_REASON),)
    if line.delivered_on is None:
        return (Problem(line.key, NOT_DELIVERED),)
    if line.quantity > line.returnable + EPSILON:
        return (
            Problem(
                line.key,
                TOO_MANY,
                (("asked", line.quantity), ("returnable", max(line.returnable, 0.0))),
            ),
        )
    return ()


def policy_refusals(policy, line, today):
    """What ``policy`` refuses of ``line`` on ``today``."""
    if policy.excluded_product_ids and line.product_tmpl_id in policy.excluded_product_ids:
        return (Problem(line.key, PRODUCT),)
    if policy.excluded_categ_ids & line.categ_ids:
        return (Problem(line.key, CATEGORY),)
    last_day = deadline(policy, line.delivered_on)
    if last_day is not None and today > last_day:
        return (
            Problem(
                line.key,
                WINDOW,
                (("deadline", last_day), ("days", policy.return_days)),
            ),
        )
    return ()


def needs_approval(policy, line):
    reason = line.reason
    return bool(reason and (reason.needs_approval or reason.id in policy.approval_reason_ids))


def label_charged(policy, facts, lines):
    """Whether the customer pays the return label: never for a defective item."""
    if any(line.reason and line.reason.defective for line in lines):
        return False
    if policy.label_payer == LABEL_PAID:
        return True
    if policy.label_payer == LABEL_FREE_ABOVE:
        return facts.amount < policy.label_free_above
    return False


def decide(policies, facts, lines, today):
    """The Decision on returning ``lines`` (LineFacts) of the order ``facts`` on
    ``today``: every problem found, not only the first."""
    problems = [problem for line in lines for problem in input_problems(line)]
    policy = select_policy(policies, facts).rule
    if policy is None:
        return Decision(None, (*problems, Problem(None, NO_POLICY)))
    if not policy.accepts_returns:
        problems.append(Problem(None, NOT_ACCEPTED))
    for line in lines:
        if line.on_order:
            problems.extend(policy_refusals(policy, line, today))
    return Decision(
        policy_id=policy.id,
        problems=tuple(problems),
        approval_lines=tuple(line.key for line in lines if needs_approval(policy, line)),
        fee_lines=tuple(
            line.key
            for line in lines
            if policy.fee_percent and not (line.reason and line.reason.defective)
        ),
        fee_percent=policy.fee_percent,
        label_charged=label_charged(policy, facts, lines),
    )


def returnable(policy, line, today):
    """For listing what a customer may return: (problems of the policy for ``line``
    if it were asked for whole, the last day to return it)."""
    if policy is None:
        return (Problem(line.key, NO_POLICY),), None
    problems = () if policy.accepts_returns else (Problem(line.key, NOT_ACCEPTED),)
    return problems + policy_refusals(policy, line, today), deadline(policy, line.delivered_on)
