"""Return policies: which applies, and what it says of each line asked for."""

from datetime import date

from omni_cli.engines import load_engine

policy = load_engine("omni_returns").policy

TODAY = date(2025, 3, 31)
CHANGED_MIND = policy.Reason(1)
DEFECTIVE = policy.Reason(2, defective=True)
SUSPICIOUS = policy.Reason(3, needs_approval=True)


def line(key=1, **values):
    values = {
        "product_tmpl_id": 10,
        "categ_ids": frozenset({100, 101}),
        "quantity": 1.0,
        "returnable": 2.0,
        "delivered_on": date(2025, 3, 20),
        "reason": CHANGED_MIND,
        "value": 50.0,
        **values,
    }
    return policy.LineFacts(key, **values)


def decide(policies, lines, **facts):
    return policy.decide(policies, policy.OrderFacts(**facts), lines, TODAY)


def codes(decision):
    return [(problem.line, problem.code) for problem in decision.problems]


def test_the_first_policy_by_sequence_whose_conditions_hold_applies():
    web = policy.Policy(1, sequence=5, channel_ids=frozenset({7}))
    counter_only = policy.Policy(2, sequence=1, request_channels=frozenset({"store"}))
    anything = policy.Policy(3, sequence=9)
    rules = [anything, web, counter_only]
    assert decide(rules, [line()], channel_id=7).policy_id == 1
    assert decide(rules, [line()], channel_id=7, request_channel="store").policy_id == 2
    assert decide(rules, [line()], channel_id=8, request_channel="portal").policy_id == 3


def test_shared_conditions_of_the_rule_base_apply():
    belgium = policy.Policy(1, country_ids=frozenset({21}))
    big = policy.Policy(2, amount_min=100.0)
    assert decide([belgium, big], [line()], country_id=21).policy_id == 1
    assert decide([belgium, big], [line()], country_id=75, amount=150.0).policy_id == 2
    decision = decide([belgium, big], [line()], country_id=75, amount=20.0)
    assert decision.policy_id is None
    assert codes(decision) == [(None, policy.NO_POLICY)]
    assert decision.refusals and not decision.input_problems


def test_a_line_within_the_window_is_accepted():
    decision = decide([policy.Policy(1, return_days=30)], [line()])
    assert decision.accepted
    assert policy.deadline(policy.Policy(1, return_days=30), line().delivered_on) == date(
        2025, 4, 19
    )


def test_past_the_window_is_refused_with_the_last_day():
    late = line(delivered_on=date(2025, 2, 1))
    decision = decide([policy.Policy(1, return_days=30)], [late])
    assert codes(decision) == [(1, policy.WINDOW)]
    assert decision.problems[0].detail("deadline") == date(2025, 3, 3)
    assert decision.problems[0].overridable
    assert decide([policy.Policy(1, return_days=0)], [late]).accepted, "0: no limit"


def test_the_last_day_of_the_window_still_counts():
    on_time = line(delivered_on=date(2025, 3, 1))
    assert decide([policy.Policy(1, return_days=30)], [on_time]).accepted


def test_non_returnable_categories_include_those_below_them():
    rule = policy.Policy(1, excluded_categ_ids=frozenset({100}))
    decision = decide([rule], [line(1), line(2, categ_ids=frozenset({200}))])
    assert codes(decision) == [(1, policy.CATEGORY)]


def test_non_returnable_products():
    rule = policy.Policy(1, excluded_product_ids=frozenset({10}))
    assert codes(decide([rule], [line()])) == [(1, policy.PRODUCT)]


def test_a_policy_may_accept_no_returns():
    decision = decide([policy.Policy(1, accepts_returns=False)], [line()])
    assert codes(decision) == [(None, policy.NOT_ACCEPTED)]


def test_input_problems_are_not_overridable_and_all_are_reported():
    lines = [
        line(1, quantity=3.0),
        line(2, on_order=False),
        line(3, delivered_on=None),
        line(4, quantity=0.0),
        line(5, reason=None),
        line(6, delivered_on=date(2024, 1, 1)),
    ]
    decision = decide([policy.Policy(1, return_days=30)], lines)
    assert codes(decision) == [
        (1, policy.TOO_MANY),
        (2, policy.NOT_ON_ORDER),
        (3, policy.NOT_DELIVERED),
        (4, policy.NO_QUANTITY),
        (5, policy.NO_REASON),
        (6, policy.WINDOW),
    ]
    assert [problem.line for problem in decision.input_problems] == [1, 2, 3, 4, 5]
    assert decision.problems[0].detail("returnable") == 2.0


def test_nothing_left_to_return():
    decision = decide([policy.Policy(1)], [line(returnable=0.0)])
    assert codes(decision) == [(1, policy.TOO_MANY)]


def test_reasons_needing_approval_by_themselves_or_by_the_policy():
    rule = policy.Policy(1, approval_reason_ids=frozenset({1}))
    decision = decide([rule], [line(1), line(2, reason=SUSPICIOUS), line(3, reason=DEFECTIVE)])
    assert decision.accepted and decision.needs_approval
    assert decision.approval_lines == (1, 2)
    assert not decide([policy.Policy(1)], [line()]).needs_approval


def test_restocking_fee_spares_defective_items():
    rule = policy.Policy(1, fee_percent=10.0)
    decision = decide([rule], [line(1), line(2, reason=DEFECTIVE)])
    assert decision.fee_lines == (1,)
    assert decision.fee_percent == 10.0
    assert decide([policy.Policy(1)], [line()]).fee_lines == ()


def test_who_pays_the_label():
    free = policy.Policy(1, label_payer=policy.LABEL_FREE)
    paid = policy.Policy(1, label_payer=policy.LABEL_PAID)
    above = policy.Policy(1, label_payer=policy.LABEL_FREE_ABOVE, label_free_above=100.0)
    assert not decide([free], [line()]).label_charged
    assert decide([paid], [line()]).label_charged
    assert decide([above], [line()], amount=99.0).label_charged
    assert not decide([above], [line()], amount=100.0).label_charged


def test_defective_items_travel_back_for_free():
    paid = policy.Policy(1, label_payer=policy.LABEL_PAID)
    assert not decide([paid], [line(1), line(2, reason=DEFECTIVE)]).label_charged


def test_listing_what_may_be_returned():
    rule = policy.Policy(1, return_days=11, excluded_categ_ids=frozenset({300}))
    problems, last_day = policy.returnable(rule, line(), TODAY)
    assert problems == () and last_day == date(2025, 3, 31)
    problems, _last_day = policy.returnable(rule, line(delivered_on=date(2025, 1, 1)), TODAY)
    assert [problem.code for problem in problems] == [policy.WINDOW]
    problems, last_day = policy.returnable(None, line(), TODAY)
    assert [problem.code for problem in problems] == [policy.NO_POLICY] and last_day is None
