"""Routes in layouts of any shape, given as a matrix of walking distances (at most
MAX_PLACES places), and in aisle layouts with too many cross-aisles for exact routing.

No exact method is fast enough in general, so the route is built by nearest neighbour
and by cheapest insertion, the shorter one kept, then improved by local search (2-opt
segment reversals and Or-opt moves of one to three stops) until no move shortens it or
the time budget runs out.
"""

import time
from dataclasses import dataclass
from itertools import pairwise

from .layout import (
    EXACT_MIDDLE_CROSS_AISLES,
    TOLERANCE,
    LayoutError,
    PickError,
    check_list,
    check_metres,
    shown,
)
from .route import Route, group_stops

METHOD = "local_search"
DEFAULT_TIME_BUDGET = 0.2
MAX_PLACES = 2000


@dataclass(frozen=True)
class MatrixLayout:
    """Walking distances between numbered places; ``depot`` is the place of the depot."""

    distances: tuple
    depot: int = 0

    def __post_init__(self):
        rows = check_list(self.distances, "distances", "rows", MAX_PLACES)
        rows = tuple(
            tuple(
                check_metres(value, "each distance", low_included=True)
                for value in check_list(row, "each row of distances", "distances", MAX_PLACES)
            )
            for row in rows
        )
        object.__setattr__(self, "distances", rows)
        size = len(rows)
        if not size or any(len(row) != size for row in rows):
            raise LayoutError("The distance matrix must be square and not empty.")
        for first in range(size):
            if abs(rows[first][first]) > TOLERANCE:
                raise LayoutError(f"The distance from place {first} to itself must be 0.")
            for second in range(first + 1, size):
                there, back = rows[first][second], rows[second][first]
                if abs(there - back) > TOLERANCE:
                    raise LayoutError(
                        f"The distances between places {first} and {second} differ "
                        f"({there} and {back}): walking distances are symmetric."
                    )
        self.check_node(self.depot, "depot")

    def check_node(self, node, name="place"):
        if isinstance(node, bool) or not isinstance(node, int):
            raise LayoutError(f"{name} must be a whole number, not {shown(node)}.")
        if not 0 <= node < len(self.distances):
            raise LayoutError(
                f"Place {node} is not in the distance matrix (0 to {len(self.distances) - 1})."
            )

    def tour_length(self, nodes):
        stops = [self.depot, *nodes, self.depot]
        return sum(self.distances[a][b] for a, b in pairwise(stops))


def _cycle_length(distances, tour):
    return sum(distances[tour[index - 1]][tour[index]] for index in range(len(tour)))


def _nearest_neighbour(distances, depot, nodes):
    tour, left = [depot], set(nodes)
    while left:
        last = tour[-1]
        following = min(left, key=lambda node: (distances[last][node], node))
        tour.append(following)
        left.remove(following)
    return tour


def _cheapest_insertion(distances, depot, nodes):
    tour = [depot]
    for node in sorted(nodes, key=lambda node: -distances[depot][node]):
        position = min(
            range(1, len(tour) + 1),
            key=lambda index: (
                distances[tour[index - 1]][node]
                + distances[node][tour[index % len(tour)]]
                - distances[tour[index - 1]][tour[index % len(tour)]]
            ),
        )
        tour.insert(position, node)
    return tour


def _two_opt(distances, tour):
    """Apply the first reversal that shortens the tour; False when none does."""
    size = len(tour)
    for start in range(1, size - 1):
        before, first = tour[start - 1], tour[start]
        for end in range(start + 1, size):
            last, after = tour[end], tour[(end + 1) % size]
            delta = (
                distances[before][last]
                + distances[first][after]
                - distances[before][first]
                - distances[last][after]
            )
            if delta < -TOLERANCE:
                tour[start : end + 1] = reversed(tour[start : end + 1])
                return True
    return False


def _or_opt(distances, tour):
    """Move one to three consecutive stops elsewhere, possibly reversed, when it helps."""
    size = len(tour)
    for span in (1, 2, 3):
        for start in range(1, size - span + 1):
            segment = tour[start : start + span]
            before, after = tour[start - 1], tour[(start + span) % size]
            removal = (
                distances[before][segment[0]]
                + distances[segment[-1]][after]
                - distances[before][after]
            )
            rest = tour[:start] + tour[start + span :]
            for index in range(1, len(rest) + 1):
                left, right = rest[index - 1], rest[index % len(rest)]
                if index == start:
                    continue
                for piece in (segment, segment[::-1]):
                    insertion = (
                        distances[left][piece[0]]
                        + distances[piece[-1]][right]
                        - distances[left][right]
                    )
                    if insertion - removal < -TOLERANCE:
                        tour[:] = rest[:index] + piece + rest[index:]
                        return True
    return False


def _short_tour(distances, depot, nodes, time_budget):
    """A short closed tour from ``depot`` through ``nodes``, as a list of nodes."""
    deadline = time.perf_counter() + time_budget
    tours = [
        _nearest_neighbour(distances, depot, nodes),
        _cheapest_insertion(distances, depot, nodes),
    ]
    tour = min(tours, key=lambda candidate: _cycle_length(distances, candidate))
    while time.perf_counter() < deadline and (
        _two_opt(distances, tour) or _or_opt(distances, tour)
    ):
        pass
    return tour


def matrix_route(layout, picks, time_budget=DEFAULT_TIME_BUDGET):
    """Route through ``picks`` (``(key, place)`` pairs) in a MatrixLayout."""
    keys_at = {}
    for key, node in picks:
        try:
            layout.check_node(node)
        except LayoutError as error:
            raise PickError(key, str(error)) from None
        keys_at.setdefault(node, []).append(key)
    distances, depot = layout.distances, layout.depot
    nodes = [node for node in keys_at if node != depot]
    tour = _short_tour(distances, depot, nodes, time_budget)
    order = keys_at.get(depot, []) + [key for node in tour[1:] for key in keys_at[node]]
    return Route(
        order=tuple(order), length=_cycle_length(distances, tour), method=METHOD, exact=False
    )


def aisle_search_route(layout, picks, time_budget=DEFAULT_TIME_BUDGET):
    """Route through ``picks`` (``(key, aisle, position)`` triples) in an AisleLayout
    with more middle cross-aisles than exact routing takes in reasonable time: local
    search on the walking distances between the stops. The route may not be the
    shortest, and its notes say so."""
    stops = group_stops(layout, picks)
    points = [layout.depot_point, *(layout.point(stop.aisle, stop.position) for stop in stops)]
    distances = [[layout.distance(first, second) for second in points] for first in points]
    tour = _short_tour(distances, 0, range(1, len(points)), time_budget)
    note = (
        f"Exact routing takes at most {EXACT_MIDDLE_CROSS_AISLES} middle cross-aisles; "
        f"with {len(layout.middle_cross_aisles)}, the route comes from {time_budget:g} s "
        "of local search and may not be the shortest."
    )
    return Route(
        order=tuple(key for node in tour[1:] for key in stops[node - 1].keys),
        length=_cycle_length(distances, tour),
        method=METHOD,
        exact=False,
        notes=(note,),
    )
