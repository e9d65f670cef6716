"""The routing heuristics warehouses use in practice, for comparison with the optimum.

As in the literature (Hall 1993; Roodbergen & de Koster 2001), the picker leaves the
depot along the front cross-aisle for the leftmost aisle holding picks, visits the aisles
holding picks from left to right, and comes back to the depot along the front. Each
route's length is the walk the heuristic prescribes, not a shortest walk through its
order. Middle cross-aisles are walked through but not used to change aisles: these are
the single-block forms of the heuristics.

* S-shape (traversal): every aisle holding picks is walked from end to end; when their
  number is odd, the last one is entered from the front and left the same way.
* Largest gap: the first and last aisles are walked from end to end; in the others the
  picker reaches the picks above the largest gap from the back and the picks below it
  from the front, so that the largest gap between two picks (or a pick and an end) is
  never walked.
* Combined: each aisle holding picks is either walked from end to end or entered and
  left from the side the picker is on, the choice made by dynamic programming.
"""

from .route import Route, group_stops

FRONT, BACK = 0, 1


class _Walk:
    """The picker's progress: stops in order and metres walked."""

    def __init__(self, layout):
        self.layout = layout
        self.stops = []
        self.length = 0.0

    def aisle(self, stops, ascending, metres):
        self.stops.extend(sorted(stops, key=lambda stop: stop.position, reverse=not ascending))
        self.length += metres

    def route(self, method):
        return Route(
            order=tuple(key for stop in self.stops for key in stop.keys),
            length=self.length,
            method=method,
            exact=False,
        )


def _picked_aisles(layout, picks):
    """``[(x, stops sorted by position)]`` of the aisles holding picks, left to right."""
    by_aisle = {}
    for stop in group_stops(layout, picks):
        by_aisle.setdefault(stop.aisle, []).append(stop)
    return [
        (layout.aisle_x(aisle), sorted(stops, key=lambda stop: stop.position))
        for aisle, stops in sorted(by_aisle.items())
    ]


def _approach(layout, aisles):
    """Front cross-aisle walking: depot to the first aisle, last aisle back to the depot."""
    depot = layout.depot
    return abs(depot - aisles[0][0]) + abs(aisles[-1][0] - depot)


def s_shape_route(layout, picks):
    aisles = _picked_aisles(layout, picks)
    walk = _Walk(layout)
    if not aisles:
        return walk.route("s_shape")
    length = layout.aisle_length
    walk.length = _approach(layout, aisles) + (aisles[-1][0] - aisles[0][0])
    for index, (_x, stops) in enumerate(aisles):
        if index == len(aisles) - 1 and len(aisles) % 2:
            walk.aisle(stops, True, 2 * stops[-1].position)
        else:
            walk.aisle(stops, index % 2 == 0, length)
    return walk.route("s_shape")


def _split_at_largest_gap(stops, length):
    """(stops reached from the front, stops reached from the back, metres walked)."""
    ends = [0.0] + [stop.position for stop in stops] + [length]
    gap = max(range(len(ends) - 1), key=lambda index: ends[index + 1] - ends[index])
    lower, upper = stops[:gap], stops[gap:]
    walked = 2 * (ends[gap] + (length - ends[gap + 1]))
    return lower, upper, walked


def largest_gap_route(layout, picks):
    aisles = _picked_aisles(layout, picks)
    walk = _Walk(layout)
    if not aisles:
        return walk.route("largest_gap")
    length, depot = layout.aisle_length, layout.depot
    if len(aisles) == 1:
        x, stops = aisles[0]
        walk.aisle(stops, True, 2 * abs(x - depot) + 2 * stops[-1].position)
        return walk.route("largest_gap")
    walk.length = _approach(layout, aisles) + (aisles[-1][0] - aisles[0][0])
    middle = [(x, *_split_at_largest_gap(stops, length)) for x, stops in aisles[1:-1]]
    # on the way out to the first aisle the picker passes the aisles left of the depot
    outward = [item for item in reversed(middle) if item[0] < depot]
    for _x, lower, _upper, _walked in outward:
        walk.aisle(lower, True, 0.0)
    walk.aisle(aisles[0][1], True, length)
    for _x, _lower, upper, walked in middle:
        walk.aisle(upper, False, walked)
    walk.aisle(aisles[-1][1], False, length)
    for x, lower, _upper, _walked in reversed(middle):
        if x >= depot:
            walk.aisle(lower, True, 0.0)
    return walk.route("largest_gap")


def combined_route(layout, picks):
    aisles = _picked_aisles(layout, picks)
    walk = _Walk(layout)
    if not aisles:
        return walk.route("combined")
    length = layout.aisle_length
    # per side: (metres so far, [(stops, ascending)] walked so far)
    best = {FRONT: (0.0, [])}
    for index, (x, stops) in enumerate(aisles):
        step = x - aisles[index - 1][0] if index else 0.0
        reached = {}
        for side, (metres, plan) in best.items():
            ascending = side == FRONT
            depth = stops[-1].position if ascending else length - stops[0].position
            for new_side, cost in ((side, 2 * depth), (1 - side, length)):
                total = metres + step + cost
                if new_side not in reached or total < reached[new_side][0]:
                    reached[new_side] = (total, [*plan, (stops, ascending)])
        best = reached
    metres, plan = best[FRONT]
    for stops, ascending in plan:
        walk.aisle(stops, ascending, 0.0)
    walk.length = metres + _approach(layout, aisles)
    return walk.route("combined")
