"""The pick-path engine on small warehouses whose shortest tours are worked out by hand."""

import pytest
from omni_cli.engines import load_engine
from pick_route_reference import exact_tour_length

engine = load_engine("omni_wms")

METHODS = ("optimal", "s_shape", "largest_gap", "combined")


def layout(**values):
    return engine.AisleLayout(
        **{"aisles": 4, "aisle_length": 10.0, "aisle_spacing": 3.0, "depot": 0.0, **values}
    )


def walked(plan, route, picks):
    """Length of the walk through the route's order with shortest legs."""
    places = {key: (aisle, position) for key, aisle, position in picks}
    return plan.tour_length([plan.point(*places[key]) for key in route.order])


def check_optimal(plan, picks, expected):
    route = engine.plan_route(plan, picks)
    assert route.length == pytest.approx(expected)
    assert route.exact and route.method == "optimal"
    assert sorted(route.order) == sorted(key for key, _aisle, _position in picks)
    assert walked(plan, route, picks) == pytest.approx(expected)
    reference = exact_tour_length(
        plan.aisles,
        plan.aisle_length,
        plan.aisle_spacing,
        [(aisle, position) for _key, aisle, position in picks],
        plan.depot,
        plan.middle_cross_aisles,
    )
    assert reference == pytest.approx(expected)
    return route


def test_one_pick_is_an_out_and_back():
    # 6 m along the front to aisle 3, 4 m up, the same way back
    route = check_optimal(layout(), [("p", 3, 4.0)], 20.0)
    assert route.order == ("p",)
    for method in METHODS:
        assert engine.plan_route(layout(), [("p", 3, 4.0)], method).length == pytest.approx(20)


def test_all_picks_in_one_aisle_are_picked_going_up():
    picks = [("far", 2, 9.0), ("near", 2, 2.0), ("middle", 2, 7.0)]
    # 3 m to aisle 2, up to 9 m and back, 3 m home
    route = check_optimal(layout(), picks, 24.0)
    assert route.order in (("near", "middle", "far"), ("far", "middle", "near"))


def test_picks_at_the_aisle_ends_lie_on_the_cross_aisles():
    # aisle 1 front end is the depot itself; the back ends are on the back cross-aisle:
    # up aisle 1 (10), along the back (9), down aisle 4 (10), home along the front (9)
    picks = [("front1", 1, 0.0), ("back2", 2, 10.0), ("back4", 4, 10.0)]
    route = check_optimal(layout(), picks, 38.0)
    assert "front1" in (route.order[0], route.order[-1]), "picked when leaving or coming back"


def test_depot_in_the_middle_between_two_aisles():
    plan = layout(aisles=5, depot=4.5)
    # 4.5 m left to aisle 1, through it (10), along the back (12), down aisle 5 (10),
    # 7.5 m home: better than entering both aisles from the front twice (56 m)
    check_optimal(plan, [("left", 1, 8.0), ("right", 5, 8.0)], 44.0)
    # picks near the front on both sides of the depot: two short out-and-backs
    check_optimal(plan, [("left", 2, 2.0), ("right", 3, 2.0)], 14.0)


def test_depot_at_the_right_end():
    plan = layout(depot=9.0)
    check_optimal(plan, [("a", 1, 3.0)], 24.0)


def test_optimum_beats_every_heuristic_when_aisles_need_different_treatments():
    plan = layout(aisles=3, aisle_spacing=2.0)
    picks = [("a1", 1, 1.0), ("a9", 1, 9.0), ("b", 2, 5.0), ("c1", 3, 1.0), ("c9", 3, 9.0)]
    # a loop through aisles 1 and 2 (10 + 10 + 2 + 2), then aisle 3's two picks from
    # either end with the gap between them left out (2 + 2) and the cross-aisles to
    # reach them walked twice (4 + 4)
    check_optimal(plan, picks, 36.0)
    lengths = {method: engine.plan_route(plan, picks, method).length for method in METHODS}
    # S-shape walks aisles 1 and 2 through and comes back out of aisle 3: 10+10+18+8
    assert lengths["s_shape"] == pytest.approx(46.0)
    # largest gap: aisles 1 and 3 through (20), aisle 2 from the back (10), 8 across
    assert lengths["largest_gap"] == pytest.approx(38.0)
    assert lengths["combined"] == pytest.approx(38.0)


def test_largest_gap_reaches_picks_from_both_cross_aisles():
    plan = layout(aisles=3, aisle_spacing=2.0)
    picks = [("a", 1, 5.0), ("b1", 2, 1.0), ("b9", 2, 9.0), ("c", 3, 5.0)]
    route = engine.plan_route(plan, picks, "largest_gap")
    # aisles 1 and 3 walked through (20), back and front cross-aisles (8), aisle 2's
    # gap between 1 and 9 is left out: 2 m from the back, 2 m from the front
    assert route.length == pytest.approx(32.0)
    assert route.order == ("a", "b9", "c", "b1")
    check_optimal(plan, picks, 32.0)


def test_s_shape_serpentine_order():
    picks = [("a", 1, 2.0), ("a2", 1, 8.0), ("b", 2, 3.0), ("b2", 2, 9.0)]
    route = engine.plan_route(layout(), picks, "s_shape")
    assert route.order == ("a", "a2", "b2", "b")
    assert route.length == pytest.approx(10 + 3 + 10 + 3)


def test_combined_returns_where_traversing_costs_more():
    picks = [("a", 1, 1.0), ("b", 2, 9.0), ("c", 3, 9.0), ("d", 4, 1.0)]
    route = engine.plan_route(layout(), picks, "combined")
    # return in aisle 1 (2), through aisle 2 (10), return from the back in aisle 3 (2),
    # through aisle 4 (10), cross-aisles 9 + 9
    assert route.length == pytest.approx(42.0)
    assert route.order == ("a", "b", "c", "d")
    check_optimal(layout(), picks, 42.0)


def test_middle_cross_aisle_shortcut():
    plan = layout(aisles=3, aisle_spacing=2.0, middle_cross_aisles=(5.0,))
    # up aisle 1 to the middle cross-aisle (5), across (4), up to 6 and back (2),
    # down aisle 3 (5), home (4)
    check_optimal(plan, [("a", 1, 4.0), ("c", 3, 6.0)], 20.0)
    # without the middle cross-aisle the same picks cost 28 m
    check_optimal(layout(aisles=3, aisle_spacing=2.0), [("a", 1, 4.0), ("c", 3, 6.0)], 28.0)
    # heuristics do not turn in the middle cross-aisle: still a valid, longer walk
    assert engine.plan_route(plan, [("a", 1, 4.0), ("c", 3, 6.0)], "s_shape").length == 28.0


def test_pick_on_the_middle_cross_aisle():
    plan = layout(aisles=3, aisle_spacing=2.0, middle_cross_aisles=(5.0,))
    check_optimal(plan, [("m", 2, 5.0), ("a", 1, 5.0)], 14.0)


def test_picks_sharing_a_place_stay_together_in_input_order():
    picks = [("x", 2, 4.0), ("y", 3, 4.0), ("x-again", 2, 4.0)]
    route = engine.plan_route(layout(), picks)
    position = route.order.index("x")
    assert route.order[position + 1] == "x-again"


def test_nothing_to_pick():
    route = engine.plan_route(layout(), [])
    assert route.order == () and route.length == 0.0


def test_only_a_pick_at_the_depot():
    route = engine.plan_route(layout(depot=3.0), [("here", 2, 0.0)])
    assert route.order == ("here",) and route.length == 0.0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"aisles": 0}, "aisles must be a whole number from 1 to 500, not 0"),
        ({"aisle_length": -5.0}, "aisle_length must be a number of metres over 0 up to 100000"),
        ({"aisle_spacing": 0.0}, "aisle_spacing must be a number of metres over 0"),
        ({"depot": -1.0}, "depot must be a number of metres from 0 to 9, not -1.0"),
        ({"depot": 9.5}, "depot must be a number of metres from 0 to 9, not 9.5"),
        ({"middle_cross_aisles": (10.0,)}, "not strictly inside"),
        ({"middle_cross_aisles": (4.0, 4.0)}, "same position"),
    ],
)
def test_inconsistent_layouts_are_refused(values, message):
    with pytest.raises(engine.LayoutError, match=message):
        layout(**values)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"aisles": True}, "aisles must be a whole number from 1 to 500, not True"),
        ({"aisles": 4.0}, "aisles must be a whole number from 1 to 500, not 4.0"),
        ({"aisles": 501}, "aisles must be a whole number from 1 to 500, not 501"),
        ({"aisle_length": float("inf")}, "aisle_length must be .* up to 100000, not inf"),
        ({"aisle_length": float("nan")}, "aisle_length must be a number of metres .*, not nan"),
        (
            {"aisle_length": 10**400},
            "aisle_length must be .*, not 10000000000000000000000000000000",
        ),
        ({"aisle_length": 1e6}, "aisle_length must be .* up to 100000, not 1000000.0"),
        ({"aisle_spacing": "3"}, "aisle_spacing must be a number of metres .*, not '3'"),
        ({"aisle_spacing": False}, "aisle_spacing must be a number of metres .*, not False"),
        ({"middle_cross_aisles": "5"}, "middle_cross_aisles must be a list .*, not '5'"),
        ({"middle_cross_aisles": 5.0}, "middle_cross_aisles must be a list .*, not 5.0"),
        ({"middle_cross_aisles": [True]}, "each middle_cross_aisles position must be a number"),
        ({"middle_cross_aisles": [float("nan")]}, "each middle_cross_aisles position .* nan"),
        (
            {"middle_cross_aisles": [0.5 * n for n in range(1, 12)]},
            "middle_cross_aisles must be a list of at most 10 positions in metres",
        ),
        ({"depot": None}, "depot must be a number of metres from 0 to 9, not None"),
        ({"depot": float("-inf")}, "depot must be a number of metres from 0 to 9, not -inf"),
    ],
)
def test_malformed_layouts_are_refused_naming_the_value(values, message):
    with pytest.raises(engine.LayoutError, match=message):
        layout(**values)


@pytest.mark.parametrize(
    ("pick", "message"),
    [
        (("p", True, 1.0), "Pick 'p': aisle must be a whole number, not True"),
        (("p", "2", 1.0), "Pick 'p': aisle must be a whole number, not '2'"),
        (("p", 2, "3"), "Pick 'p': position must be a number of metres, not '3'"),
        (("p", 2, float("nan")), "Pick 'p': position must be a number of metres, not nan"),
        (("p", 2, 10**400), "Pick 'p': position must be a number of metres, not 1000"),
        (("p", 2, True), "Pick 'p': position must be a number of metres, not True"),
    ],
)
def test_malformed_picks_are_refused_naming_the_pick(pick, message):
    for method in (*METHODS, "input_order"):
        with pytest.raises(engine.PickError, match=message) as refused:
            engine.plan_route(layout(), [("ok", 1, 1.0), pick], method)
        assert refused.value.key == "p"


def test_malformed_requests_are_refused():
    with pytest.raises(engine.LayoutError, match=r"method must be the name .*, not \['x'\]"):
        engine.plan_route(layout(), [("p", 1, 1.0)], ["x"])
    with pytest.raises(engine.LayoutError, match="time_budget must be .* from 0 to 10, not inf"):
        engine.plan_route(layout(), [("p", 1, 1.0)], time_budget=float("inf"))


def test_beyond_two_middle_cross_aisles_the_route_is_searched_and_says_so():
    plan = layout(aisles=5, middle_cross_aisles=(2.0, 4.0, 6.0, 8.0, 9.0))
    picks = [("a", 1, 3.0), ("b", 3, 7.0), ("c", 5, 1.0), ("d", 2, 9.5), ("e", 4, 5.0)]
    route = engine.plan_route(plan, picks)
    assert (route.method, route.exact) == ("local_search", False)
    [note] = route.notes
    assert note == (
        "Exact routing takes at most 2 middle cross-aisles; with 5, the route comes from "
        "0.2 s of local search and may not be the shortest."
    )
    assert sorted(route.order) == ["a", "b", "c", "d", "e"]
    assert route.length == pytest.approx(walked(plan, route, picks))
    shortest = exact_tour_length(
        plan.aisles,
        plan.aisle_length,
        plan.aisle_spacing,
        [(aisle, position) for _key, aisle, position in picks],
        plan.depot,
        plan.middle_cross_aisles,
    )
    assert route.length >= shortest - 1e-9
    assert engine.plan_route(layout(middle_cross_aisles=(3.0, 6.0)), picks[:1]).exact


@pytest.mark.parametrize(
    ("pick", "message"),
    [
        (("p", 5, 1.0), "Aisle 5 is not in this layout"),
        (("p", 0, 1.0), "Aisle 0 is not in this layout"),
        (("p", 2, 10.5), "outside aisle 2"),
        (("p", 2, -1.0), "outside aisle 2"),
    ],
)
def test_picks_outside_the_layout_are_refused(pick, message):
    for method in METHODS:
        with pytest.raises(engine.LayoutError, match=message):
            engine.plan_route(layout(), [pick], method)


def test_unknown_method_is_refused():
    with pytest.raises(engine.LayoutError, match="Unknown routing method 'fastest'"):
        engine.plan_route(layout(), [("p", 1, 1.0)], "fastest")


def test_distance_between_places():
    plan = layout(middle_cross_aisles=(6.0,))
    assert plan.distance(plan.point(2, 3.0), plan.point(2, 9.0)) == 6.0
    # from aisle 1 at 5 m to aisle 2 at 7 m: through the middle cross-aisle
    assert plan.distance(plan.point(1, 5.0), plan.point(2, 7.0)) == 1 + 3 + 1
    assert plan.distance(plan.depot_point, plan.point(4, 2.0)) == 9 + 2
