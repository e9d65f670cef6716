import itertools
import random

import pytest
from omni_cli.engines import load_engine

routing = load_engine("omni_oms").routing
Candidate, Line, Policy, ShippingCost = (
    routing.Candidate,
    routing.Line,
    routing.Policy,
    routing.ShippingCost,
)

PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)
LILLE = (50.6292, 3.0573)
MARSEILLE = (43.2965, 5.3698)


def site(key, coords, stock, **kwargs):
    return Candidate(key, key, coords[0], coords[1], stock, **kwargs)


def by_candidate(decision):
    shipped = {}
    for allocation in decision.allocations:
        shipped.setdefault(allocation.candidate, {})[allocation.line] = allocation.quantity
    return shipped


def trace_of(decision, key):
    return next(trace for trace in decision.candidates if trace.key == key)


def test_haversine_paris_lyon():
    assert routing.haversine_km(*PARIS, *LYON) == pytest.approx(392, abs=2)


def test_nearest_location_holding_everything_ships_everything():
    lines = [Line(1, 10, 2), Line(2, 11, 1)]
    candidates = [
        site("lyon", LYON, {10: 5, 11: 5}),
        site("lille", LILLE, {10: 5, 11: 5}),
    ]
    decision = routing.route(lines, candidates, PARIS, Policy())
    assert decision.status == "complete"
    assert by_candidate(decision) == {"lille": {1: 2, 2: 1}}
    assert decision.shipments == 1
    assert [trace.key for trace in decision.candidates] == ["lille", "lyon"]
    assert trace_of(decision, "lille").shipped and not trace_of(decision, "lyon").shipped


def test_split_across_locations_when_nearest_lacks_stock():
    lines = [Line(1, 10, 3), Line(2, 11, 1)]
    candidates = [site("lille", LILLE, {10: 2}), site("lyon", LYON, {10: 5, 11: 1})]
    decision = routing.route(lines, candidates, PARIS, Policy())
    assert by_candidate(decision) == {"lille": {1: 2}, "lyon": {1: 1, 2: 1}}
    assert decision.shipments == 2


def test_lines_of_the_same_product_share_a_location_stock():
    lines = [Line(1, 10, 2), Line(2, 10, 2)]
    candidates = [site("lille", LILLE, {10: 3}), site("lyon", LYON, {10: 3})]
    decision = routing.route(lines, candidates, PARIS, Policy())
    assert by_candidate(decision) == {"lille": {1: 2, 2: 1}, "lyon": {2: 1}}


def test_max_shipments_leaves_the_rest_unallocated():
    lines = [Line(1, 10, 3)]
    candidates = [site("lille", LILLE, {10: 2}), site("lyon", LYON, {10: 2})]
    decision = routing.route(lines, candidates, PARIS, Policy(max_shipments=1))
    assert decision.status == "partial"
    assert decision.unallocated == {1: 1}
    assert trace_of(decision, "lyon").rejection.code == "max_shipments"


def test_whole_order_only_rejects_partial_holders():
    lines = [Line(1, 10, 2), Line(2, 11, 1)]
    candidates = [site("lille", LILLE, {10: 2}), site("marseille", MARSEILLE, {10: 9, 11: 9})]
    decision = routing.route(lines, candidates, PARIS, Policy(whole_order_only=True))
    assert by_candidate(decision) == {"marseille": {1: 2, 2: 1}}
    rejection = trace_of(decision, "lille").rejection
    assert rejection.code == "not_whole_order"
    assert rejection.details == {"missing": {11: 1}}


def test_ship_together_group_is_never_split():
    lines = [Line(1, 10, 1, group="kit"), Line(2, 11, 1, group="kit"), Line(3, 12, 1)]
    candidates = [
        site("lille", LILLE, {10: 1, 12: 1}),
        site("lyon", LYON, {10: 1, 11: 1}),
    ]
    decision = routing.route(lines, candidates, PARIS, Policy())
    assert by_candidate(decision) == {"lille": {3: 1}, "lyon": {1: 1, 2: 1}}


def test_single_line_flagged_ship_together_is_not_split():
    lines = [Line(1, 10, 4, group="line-1")]
    candidates = [site("lille", LILLE, {10: 3}), site("lyon", LYON, {10: 4})]
    decision = routing.route(lines, candidates, PARIS, Policy())
    assert by_candidate(decision) == {"lyon": {1: 4}}
    assert trace_of(decision, "lille").rejection.code == "no_stock_for_rest"


def test_group_nobody_holds_whole_stays_unallocated():
    lines = [Line(1, 10, 1, group="kit"), Line(2, 11, 1, group="kit")]
    candidates = [site("lille", LILLE, {10: 1}), site("lyon", LYON, {11: 1})]
    decision = routing.route(lines, candidates, PARIS, Policy())
    assert decision.status == "none"
    assert decision.unallocated == {1: 1, 2: 1}
    assert decision.reason.code == "no_stock_for_rest"


def test_capacity_reached_is_rejected_unless_ignored():
    lines = [Line(1, 10, 1)]
    candidates = [site("lille", LILLE, {10: 1}, capacity=0), site("lyon", LYON, {10: 1})]
    decision = routing.route(lines, candidates, PARIS, Policy())
    assert by_candidate(decision) == {"lyon": {1: 1}}
    assert trace_of(decision, "lille").rejection.code == "at_capacity"
    ignored = routing.route(lines, candidates, PARIS, Policy(respect_capacity=False))
    assert by_candidate(ignored) == {"lille": {1: 1}}


def test_max_distance_and_missing_coordinates():
    lines = [Line(1, 10, 1)]
    candidates = [
        site("marseille", MARSEILLE, {10: 1}),
        Candidate("nowhere", "nowhere", None, None, {10: 1}),
    ]
    decision = routing.route(lines, candidates, PARIS, Policy(max_distance_km=500))
    assert decision.status == "none"
    assert trace_of(decision, "marseille").rejection.code == "too_far"
    assert trace_of(decision, "marseille").rejection.details["distance_km"] > 600
    assert trace_of(decision, "nowhere").rejection.code == "no_coordinates"
    assert decision.reason.code == "all_rejected"
    no_address = routing.route(lines, candidates, None, Policy(max_distance_km=500))
    assert {t.rejection.code for t in no_address.candidates} == {"no_coordinates"}


def test_no_stock_anywhere_and_no_candidate():
    lines = [Line(1, 10, 1)]
    decision = routing.route(lines, [site("lille", LILLE, {11: 4})], PARIS, Policy())
    assert decision.status == "none"
    assert trace_of(decision, "lille").rejection.code == "no_stock"
    assert routing.route(lines, [], PARIS, Policy()).reason.code == "no_candidate"


@pytest.mark.parametrize(
    ("sort_keys", "expected_first"),
    [
        ((("distance", False),), "lille"),
        ((("coverage", True), ("distance", False)), "marseille"),
        ((("priority", False),), "lyon"),
        ((("load", False), ("distance", False)), "lyon"),
        ((("cost", False),), "marseille"),
    ],
)
def test_each_sort_key(sort_keys, expected_first):
    lines = [Line(1, 10, 2, unit_weight=1.0)]
    candidates = [
        site("lille", LILLE, {10: 1}, priority=3, load=0.9, shipping=ShippingCost(9)),
        site("lyon", LYON, {10: 1}, priority=1, load=0.1, shipping=ShippingCost(8)),
        site("marseille", MARSEILLE, {10: 2}, priority=2, load=0.5, shipping=ShippingCost(5)),
    ]
    decision = routing.route(lines, candidates, PARIS, Policy(sort_keys=sort_keys))
    assert decision.candidates[0].key == expected_first
    assert decision.allocations[0].candidate == expected_first


def test_split_below_minimum_value_is_refused():
    lines = [Line(1, 10, 1, unit_value=100), Line(2, 11, 1, unit_value=5)]
    candidates = [
        site("lille", LILLE, {10: 1}),
        site("lyon", LYON, {11: 1}),
        site("marseille", MARSEILLE, {11: 1}),
    ]
    decision = routing.route(lines, candidates, PARIS, Policy(min_split_value=10))
    assert decision.status == "partial"
    assert decision.unallocated == {2: 1}
    assert trace_of(decision, "lyon").rejection.code == "split_below_min_value"


def test_cost_mode_beats_nearest_first_and_reports_both():
    # Two nearby stores each hold half; a farther DC holds everything cheaply.
    lines = [Line(1, 10, 1, unit_weight=2), Line(2, 11, 1, unit_weight=2)]
    store_cost = ShippingCost(base=6, per_kg=1)
    candidates = [
        site("store-a", (48.86, 2.35), {10: 1}, shipping=store_cost),
        site("store-b", (48.87, 2.36), {11: 1}, shipping=store_cost),
        site("dc", LYON, {10: 5, 11: 5}, shipping=ShippingCost(base=7, per_kg=0.5)),
    ]
    policy = Policy(mode="cost", split_penalty=2)
    decision = routing.route(lines, candidates, PARIS, policy)
    assert by_candidate(decision) == {"dc": {1: 1, 2: 1}}
    assert decision.estimated_cost == pytest.approx(7 + 0.5 * 4)
    baseline = decision.nearest_first
    assert baseline.shipments == 2
    assert baseline.cost == pytest.approx(2 * (6 + 2) + 2)
    assert decision.estimated_cost < baseline.cost


def test_cost_mode_splits_when_cheaper():
    lines = [Line(1, 10, 1, unit_weight=1), Line(2, 11, 1, unit_weight=1)]
    candidates = [
        site("a", LILLE, {10: 1}, shipping=ShippingCost(base=3)),
        site("b", LYON, {11: 1}, shipping=ShippingCost(base=3)),
        site("c", MARSEILLE, {10: 1, 11: 1}, shipping=ShippingCost(base=10)),
    ]
    decision = routing.route(lines, candidates, PARIS, Policy(mode="cost", split_penalty=1))
    assert decision.shipments == 2
    assert decision.estimated_cost == pytest.approx(7)
    costly_split = routing.route(lines, candidates, PARIS, Policy(mode="cost", split_penalty=5))
    assert by_candidate(costly_split) == {"c": {1: 1, 2: 1}}


def test_cost_mode_falls_back_to_partial_plan():
    lines = [Line(1, 10, 2)]
    candidates = [site("a", LILLE, {10: 1})]
    decision = routing.route(lines, candidates, PARIS, Policy(mode="cost"))
    assert decision.status == "partial"
    assert decision.unallocated == {1: 1}


def brute_force_cost(lines, candidates, traces, policy, max_size):
    """Least cost over every set of candidates, and the greedy plan the search starts from."""
    lines_by_key = {line.key: line for line in lines}
    costs = []
    for size in range(1, max_size + 1):
        for group in itertools.combinations(candidates, size):
            plan = routing._allocate_within(list(group), lines, lines_by_key, traces, policy)
            if plan:
                costs.append(plan.cost)
    by_cost = sorted(candidates, key=lambda c: traces[c.key].estimated_cost)
    greedy = routing._sequence_plan(lines, by_cost, traces, policy, record=False)
    if routing._is_complete(greedy, lines):
        costs.append(greedy.cost)
    return min(costs, default=None)


def test_cost_search_matches_exhaustive_enumeration():
    rng = random.Random(11)
    for _instance in range(150):
        lines = [
            Line(
                i,
                rng.randint(1, 4),
                rng.randint(1, 3),
                unit_weight=rng.uniform(0.2, 5),
                group="g" if rng.random() < 0.2 else None,
            )
            for i in range(rng.randint(1, 5))
        ]
        candidates = [
            site(
                f"c{i}",
                (rng.uniform(43, 51), rng.uniform(-1, 7)),
                {p: rng.randint(0, 4) for p in range(1, 5)},
                shipping=ShippingCost(
                    rng.uniform(3, 9), rng.uniform(0.1, 1.5), rng.uniform(0, 0.01)
                ),
            )
            for i in range(rng.randint(1, 9))
        ]
        policy = Policy(mode="cost", split_penalty=rng.uniform(0, 4), max_shipments=3)
        decision = routing.route(lines, candidates, PARIS, policy)
        traces = {t.key: t for t in decision.candidates}
        eligible = [
            c for c in candidates if traces[c.key].rejection is None or traces[c.key].shipped
        ]
        expected = brute_force_cost(lines, eligible, traces, policy, 3)
        if expected is None:
            assert decision.status != "complete" or decision.shipments == 0
        else:
            assert decision.status == "complete"
            assert decision.estimated_cost == pytest.approx(expected)


def test_policy_validation():
    with pytest.raises(ValueError):
        Policy(sort_keys=(("colour", False),))
    with pytest.raises(ValueError):
        Policy(mode="random")
    with pytest.raises(ValueError):
        Policy(max_shipments=0)
