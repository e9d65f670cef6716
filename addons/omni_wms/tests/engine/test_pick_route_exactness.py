"""Property tests: on many random warehouses the dynamic programme's tour is exactly as
short as the one an independent exact solver (Held-Karp) finds, and no heuristic beats
it."""

import random

import pytest
from omni_cli.engines import load_engine
from pick_route_reference import exact_tour_length, graph_distance

engine = load_engine("omni_wms")


def random_instance(rng, middle_cross_aisles):
    aisles = rng.randint(1, 7)
    length = rng.choice([6.0, 10.0, 12.5, 30.0])
    spacing = rng.choice([1.0, 2.5, 4.0])
    width = (aisles - 1) * spacing
    depot = rng.choice([0.0, width, rng.uniform(0.0, width), rng.randint(0, aisles - 1) * spacing])
    candidates = [length / 4, length / 2, 2 * length / 3]
    middles = tuple(sorted(rng.sample(candidates, k=middle_cross_aisles)))
    plan = engine.AisleLayout(
        aisles=aisles,
        aisle_length=length,
        aisle_spacing=spacing,
        middle_cross_aisles=middles,
        depot=depot,
    )
    ends = [0.0, length, *middles]
    picks = [
        (
            index,
            rng.randint(1, aisles),
            rng.choice([rng.uniform(0.0, length), rng.choice(ends), float(rng.randint(0, 6))])
            if length >= 6
            else rng.uniform(0.0, length),
        )
        for index in range(rng.randint(1, 8))
    ]
    return plan, picks


def reference_length(plan, picks):
    return exact_tour_length(
        plan.aisles,
        plan.aisle_length,
        plan.aisle_spacing,
        [(aisle, position) for _key, aisle, position in picks],
        plan.depot,
        plan.middle_cross_aisles,
    )


@pytest.mark.parametrize(
    ("middle_cross_aisles", "instances", "seed"),
    [(0, 400, 11), (1, 300, 12), (2, 60, 13)],
    ids=["single-block", "middle-cross-aisle", "two-middle-cross-aisles"],
)
def test_optimal_route_matches_the_exact_solver(middle_cross_aisles, instances, seed):
    rng = random.Random(seed)
    for _instance in range(instances):
        plan, picks = random_instance(rng, middle_cross_aisles)
        route = engine.plan_route(plan, picks)
        expected = reference_length(plan, picks)
        assert route.length == pytest.approx(expected, abs=1e-6), (plan, picks)
        places = {key: plan.point(aisle, position) for key, aisle, position in picks}
        assert sorted(route.order) == sorted(places)
        assert plan.tour_length([places[key] for key in route.order]) == pytest.approx(
            expected, abs=1e-6
        ), "the order given is walkable in the length given"


@pytest.mark.parametrize("method", ["s_shape", "largest_gap", "combined", "input_order"])
def test_heuristics_are_valid_tours_never_shorter_than_the_optimum(method):
    rng = random.Random(21)
    for _instance in range(300):
        plan, picks = random_instance(rng, rng.choice([0, 0, 1]))
        route = engine.plan_route(plan, picks, method)
        optimum = engine.plan_route(plan, picks).length
        places = {key: plan.point(aisle, position) for key, aisle, position in picks}
        assert sorted(route.order) == sorted(places)
        assert route.length >= optimum - 1e-6
        shortest_walk = plan.tour_length([places[key] for key in route.order])
        assert shortest_walk <= route.length + 1e-6, "the heuristic's walk visits its order"


def test_layout_distance_is_the_graph_shortest_path():
    rng = random.Random(31)
    for _instance in range(300):
        plan, picks = random_instance(rng, rng.choice([0, 1, 2]))
        if len(picks) < 2:
            continue
        (_k1, aisle1, pos1), (_k2, aisle2, pos2) = picks[:2]
        expected = graph_distance(
            plan.aisles,
            plan.aisle_length,
            plan.aisle_spacing,
            (aisle1, pos1),
            (aisle2, pos2),
            plan.middle_cross_aisles,
        )
        assert plan.distance(plan.point(aisle1, pos1), plan.point(aisle2, pos2)) == pytest.approx(
            expected
        )
