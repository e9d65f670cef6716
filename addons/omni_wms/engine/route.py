"""What every routing method returns, and the grouping of picks into stops."""

from dataclasses import dataclass

from .layout import LayoutError, PickError


@dataclass(frozen=True)
class Route:
    """Pick keys in walking order, from the depot back to it, and the walk's length;
    ``notes`` say how the route differs from what was asked, if it does."""

    order: tuple
    length: float
    method: str
    exact: bool
    notes: tuple = ()


@dataclass
class Stop:
    """One place the picker stops at: the picks that share an aisle and a position."""

    aisle: int
    position: float
    keys: list

    @property
    def point_key(self):
        return (self.aisle, self.position)


def group_stops(layout, picks):
    """Stops of ``picks`` (``(key, aisle, position)`` triples), checked against
    ``layout`` (PickError). Picks at the same place keep their input order within the
    stop."""
    stops = {}
    for key, aisle, position in picks:
        try:
            layout.check_pick(aisle, position)
        except LayoutError as error:
            raise PickError(key, str(error)) from None
        place = (aisle, min(max(float(position), 0.0), float(layout.aisle_length)))
        if place in stops:
            stops[place].keys.append(key)
        else:
            stops[place] = Stop(*place, [key])
    return list(stops.values())


def stop_order_route(layout, stops, method, exact=False, length=None):
    """A Route visiting ``stops`` in the given order; its length is the walk with the
    shortest legs between consecutive stops unless the method measured its own."""
    if length is None:
        length = layout.tour_length([layout.point(stop.aisle, stop.position) for stop in stops])
    return Route(
        order=tuple(key for stop in stops for key in stop.keys),
        length=length,
        method=method,
        exact=exact,
    )


def input_order_route(layout, picks):
    """The picks walked in the order given, with the shortest legs between them: how
    a picker walks a list sorted some other way (by location name, for instance)."""
    return stop_order_route(layout, group_stops(layout, picks), "input_order")
