"""Where a return is received."""

from omni_cli.engines import load_engine

engine = load_engine("omni_returns")
receiving, policy = engine.receiving, engine.policy

PARIS = receiving.Site(1, 48.8566, 2.3522)
LYON = receiving.Site(2, 45.7640, 4.8357)
UNPLACED = receiving.Site(3)
LILLE_CUSTOMER = (50.6292, 3.0573)
GRENOBLE_CUSTOMER = (45.1885, 5.7245)


def test_the_warehouse_that_shipped():
    chosen = receiving.choose(policy.RECEIVE_ORIGINAL, original=7, fixed=8)
    assert chosen == receiving.Receiving(7, policy.RECEIVE_ORIGINAL)


def test_the_nearest_site_to_the_customer():
    sites = [UNPLACED, PARIS, LYON]
    near_lille = receiving.choose(
        policy.RECEIVE_NEAREST, original=7, sites=sites, customer=LILLE_CUSTOMER
    )
    assert near_lille == receiving.Receiving(1, policy.RECEIVE_NEAREST)
    near_grenoble = receiving.choose(
        policy.RECEIVE_NEAREST, original=7, sites=sites, customer=GRENOBLE_CUSTOMER
    )
    assert near_grenoble.site_id == 2


def test_nearest_without_coordinates_falls_back():
    chosen = receiving.choose(
        policy.RECEIVE_NEAREST, original=7, sites=[PARIS], customer=(None, None)
    )
    assert chosen == receiving.Receiving(7, "fallback")
    chosen = receiving.choose(policy.RECEIVE_NEAREST, original=7, fixed=8, sites=[UNPLACED])
    assert chosen == receiving.Receiving(8, "fallback")


def test_by_category_the_largest_value_wins():
    routes = [receiving.CategoryRoute(10, 1, sequence=1), receiving.CategoryRoute(20, 2)]
    shoes = receiving.ReturnedLine(frozenset({10, 1}), value=30.0)
    lamp = receiving.ReturnedLine(frozenset({20, 1}), value=80.0)
    chosen = receiving.choose(
        policy.RECEIVE_CATEGORY, original=7, routes=routes, lines=[shoes, lamp]
    )
    assert chosen == receiving.Receiving(2, policy.RECEIVE_CATEGORY)
    cheap_lamp = receiving.ReturnedLine(frozenset({20}), value=30.0)
    tie = receiving.choose(
        policy.RECEIVE_CATEGORY, original=7, routes=routes, lines=[shoes, cheap_lamp]
    )
    assert tie.site_id == 1, "a tie goes to the route tried first"


def test_by_category_uses_the_first_route_covering_a_line():
    routes = [receiving.CategoryRoute(1, 1, sequence=5), receiving.CategoryRoute(10, 2, sequence=1)]
    boots = receiving.ReturnedLine(frozenset({10, 1}), value=30.0)
    assert receiving.choose(policy.RECEIVE_CATEGORY, routes=routes, lines=[boots]).site_id == 2


def test_by_category_without_route_falls_back():
    routes = [receiving.CategoryRoute(10, 1)]
    lamp = receiving.ReturnedLine(frozenset({20}), value=30.0)
    chosen = receiving.choose(policy.RECEIVE_CATEGORY, original=7, routes=routes, lines=[lamp])
    assert chosen == receiving.Receiving(7, "fallback")


def test_a_given_site():
    assert receiving.choose(policy.RECEIVE_FIXED, original=7, fixed=8).site_id == 8


def test_a_drop_off_store_receives_whatever_the_policy():
    chosen = receiving.choose(policy.RECEIVE_FIXED, original=7, fixed=8, drop_off=9)
    assert chosen == receiving.Receiving(9, "drop_off")
