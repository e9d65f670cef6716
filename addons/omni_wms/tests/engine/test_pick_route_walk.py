"""The walk a map draws of a pick route: its turning points, and its length."""

from itertools import pairwise

import pytest
from omni_cli.engines import load_engine

engine = load_engine("omni_wms")


def walk_length(points):
    return sum(abs(x1 - x2) + abs(y1 - y2) for (x1, y1), (x2, y2) in pairwise(points))


def test_a_leg_in_one_aisle_follows_the_aisle():
    plan = engine.AisleLayout(aisles=4, aisle_length=10.0, aisle_spacing=3.0)
    assert plan.leg((3.0, 2.0), (3.0, 8.0)) == [(3.0, 2.0), (3.0, 8.0)]


def test_a_leg_between_aisles_turns_at_the_nearest_cross_aisle():
    plan = engine.AisleLayout(
        aisles=4, aisle_length=10.0, aisle_spacing=3.0, middle_cross_aisles=(6.0,)
    )
    assert plan.leg((0.0, 1.0), (9.0, 2.0)) == [(0.0, 1.0), (0.0, 0.0), (9.0, 0.0), (9.0, 2.0)]
    assert plan.leg((0.0, 5.0), (9.0, 7.0)) == [(0.0, 5.0), (0.0, 6.0), (9.0, 6.0), (9.0, 7.0)]
    assert plan.leg((0.0, 9.0), (9.0, 9.5)) == [(0.0, 9.0), (0.0, 10.0), (9.0, 10.0), (9.0, 9.5)]


def test_the_walk_of_a_route_starts_and_ends_at_the_depot_and_measures_its_length():
    plan = engine.AisleLayout(
        aisles=4, aisle_length=10.0, aisle_spacing=3.0, middle_cross_aisles=(5.0,), depot=3.0
    )
    picks = [("a", 1, 1.25), ("b", 2, 8.75), ("c", 4, 3.75), ("d", 3, 6.25)]
    route = engine.plan_route(plan, picks)
    places = {key: plan.point(aisle, position) for key, aisle, position in picks}
    path = plan.walk([places[key] for key in route.order])
    assert path[0] == path[-1] == plan.depot_point
    assert all(x1 == x2 or y1 == y2 for (x1, y1), (x2, y2) in pairwise(path))
    assert all(first != second for first, second in pairwise(path))
    assert walk_length(path) == pytest.approx(route.length)


def test_an_empty_route_stays_at_the_depot():
    plan = engine.AisleLayout(aisles=2, aisle_length=10.0, aisle_spacing=3.0)
    assert plan.walk([]) == [plan.depot_point]
