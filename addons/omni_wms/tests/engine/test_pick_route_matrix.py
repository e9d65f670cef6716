"""Irregular layouts given as a distance matrix: construction plus local search."""

import math
import random

import pytest
from omni_cli.engines import load_engine
from pick_route_reference import held_karp

engine = load_engine("omni_wms")


def euclidean(points):
    return [[math.dist(first, second) for second in points] for first in points]


def test_places_on_a_line_are_walked_out_and_back():
    distances = [[abs(first - second) for second in range(5)] for first in range(5)]
    route = engine.plan_route(
        engine.MatrixLayout(distances), [("c", 3), ("a", 1), ("d", 4), ("b", 2)]
    )
    assert route.length == 8.0
    assert route.order in (("a", "b", "c", "d"), ("d", "c", "b", "a"))
    assert route.method == "local_search" and not route.exact


def test_local_search_untangles_a_crossing_tour():
    # points on a circle: the shortest tour is the circle itself, which a tour with
    # crossings (as nearest neighbour may build) only reaches through 2-opt moves
    rng = random.Random(4)
    angles = sorted(rng.uniform(0, 2 * math.pi) for _point in range(14))
    points = [(math.cos(angle), math.sin(angle)) for angle in angles]
    distances = euclidean(points)
    keys = list(range(1, len(points)))
    rng.shuffle(keys)
    route = engine.plan_route(engine.MatrixLayout(distances), [(key, key) for key in keys])
    perimeter = sum(math.dist(points[i - 1], points[i]) for i in range(len(points)))
    assert route.length == pytest.approx(perimeter)
    assert route.order in (tuple(range(1, 14)), tuple(range(13, 0, -1)))


def test_random_instances_give_valid_tours_close_to_the_optimum():
    rng = random.Random(8)
    gaps = []
    for _instance in range(60):
        points = [(rng.uniform(0, 50), rng.uniform(0, 20)) for _point in range(8)]
        distances = euclidean(points)
        picks = [(f"p{node}", node) for node in range(1, 8)]
        route = engine.plan_route(engine.MatrixLayout(distances), picks)
        optimum = held_karp(distances)
        assert sorted(route.order) == sorted(key for key, _node in picks)
        nodes = [int(key[1:]) for key in route.order]
        assert engine.MatrixLayout(distances).tour_length(nodes) == pytest.approx(route.length)
        assert route.length >= optimum - 1e-9
        gaps.append(route.length / optimum - 1)
    assert sum(gaps) / len(gaps) < 0.02, "local search lands within 2% of the optimum"


def test_no_time_left_still_gives_a_complete_route():
    rng = random.Random(9)
    points = [(rng.uniform(0, 50), rng.uniform(0, 20)) for _point in range(120)]
    picks = [(node, node) for node in range(1, 120)]
    route = engine.plan_route(engine.MatrixLayout(euclidean(points)), picks, time_budget=0)
    assert sorted(route.order) == list(range(1, 120))


def test_picks_at_the_depot_and_shared_places():
    distances = [[0, 2, 3], [2, 0, 4], [3, 4, 0]]
    route = engine.plan_route(
        engine.MatrixLayout(distances, depot=1), [("here", 1), ("x", 0), ("y", 0), ("z", 2)]
    )
    assert route.order[0] == "here"
    assert route.order.index("y") == route.order.index("x") + 1
    assert route.length == 9.0


@pytest.mark.parametrize(
    ("distances", "depot", "message"),
    [
        ([], 0, "square and not empty"),
        ([[0, 1], [1]], 0, "square and not empty"),
        ([[0, 1], [2, 0]], 0, "differ"),
        ([[0, -1], [-1, 0]], 0, "each distance must be a number of metres from 0 to 100000"),
        ("01", 0, "distances must be a list of at most 2000 rows, not '01'"),
        ([[0, True], [True, 0]], 0, "each distance must be .*, not True"),
        ([[0, float("inf")], [float("inf"), 0]], 0, "each distance must be .*, not inf"),
        ([[0, 1], "10"], 0, "each row of distances must be a list .*, not '10'"),
        ([[0, 1], [1, 0]], True, "depot must be a whole number, not True"),
        ([[1, 1], [1, 0]], 0, "to itself must be 0"),
        ([[0, 1], [1, 0]], 2, "Place 2 is not in the distance matrix"),
    ],
)
def test_inconsistent_matrices_are_refused(distances, depot, message):
    with pytest.raises(engine.LayoutError, match=message):
        engine.MatrixLayout(distances, depot)


def test_bad_picks_and_methods_are_refused():
    plan = engine.MatrixLayout([[0, 1], [1, 0]])
    with pytest.raises(engine.LayoutError, match="Place 5 is not"):
        engine.plan_route(plan, [("p", 5)])
    with pytest.raises(engine.PickError, match="Pick 'p': place must be a whole number, not True"):
        engine.plan_route(plan, [("p", True)])
    with pytest.raises(engine.LayoutError, match="needs aisles"):
        engine.plan_route(plan, [("p", 1)], "s_shape")
