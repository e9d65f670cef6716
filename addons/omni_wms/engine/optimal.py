"""Exact shortest pick tours in rectangular warehouses.

The dynamic programme of Ratliff & Rosenthal (1983, "Order-picking in a rectangular
warehouse: a solvable case of the traveling salesman problem") for one block, and its
extension by Roodbergen & de Koster (2001, "Routing order pickers in a warehouse with a
middle aisle") to several blocks, written here for any number of cross-aisles.

The warehouse is a graph: one node where each aisle meets each cross-aisle, one node per
pick position, edges along the aisles and the cross-aisles. A shortest tour is a
connected multigraph with even degrees over the depot and the picks, each edge used at
most twice. Aisles are processed from left to right. After each one, only the nodes of
the current aisle on the cross-aisles (the frontier) matter: for each of them whether it
has no edge, an odd or an even number of edges, and which of them the partial tour
already connects. These equivalence classes are the DP states. Two kinds of steps extend
a partial tour: adding 0, 1 or 2 copies of each cross-aisle edge to the next aisle, and
choosing how each block of the next aisle (the part between two cross-aisles) is walked:

* not at all (only when it holds no pick),
* traversed once, or twice,
* entered from its lower or from its upper end up to the farthest pick and back,
* entered from both ends, leaving out the largest gap between two picks.

Any optimal tour walks each block in one of these ways, so the best complete state gives
the optimum in time linear in the number of aisles. The tour is then read off the chosen
edges as an Euler circuit starting at the depot.
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import product

from .layout import TOLERANCE
from .route import Route, group_stops

METHOD = "optimal"

UNTOUCHED, ODD, EVEN = 0, 1, 2
NONE, ONE_PASS, TWO_PASS, GAP, FROM_LOW, FROM_HIGH = range(6)
# (copies added at the lower node, at the upper node, whether the block joins them)
BLOCK_EFFECTS = {
    ONE_PASS: (1, 1, True),
    TWO_PASS: (2, 2, True),
    GAP: (2, 2, False),
    FROM_LOW: (2, 0, False),
    FROM_HIGH: (0, 2, False),
}
DONE = "done"
DEPOT = object()


def _add_copies(degree, copies):
    if copies == 2:
        return EVEN if degree == UNTOUCHED else degree
    return EVEN if degree == ODD else ODD


def _canonical(degrees, labels):
    mapping = {}
    return (
        tuple(degrees),
        tuple(-1 if label < 0 else mapping.setdefault(label, len(mapping)) for label in labels),
    )


class _Transitions:
    """The state machine of a frontier of ``size`` nodes, memoised: it only depends on
    the number of cross-aisles, not on distances."""

    def __init__(self, size):
        self.size = size
        self.empty = ((UNTOUCHED,) * size, (-1,) * size)
        self.crossings = [
            copies for copies in product((0, 1, 2), repeat=size) if copies.count(1) % 2 == 0
        ]
        self._cross = {}
        self._vertical = {}

    def cross(self, state, copies):
        key = (state, copies)
        if key not in self._cross:
            self._cross[key] = self._compute_cross(state, copies)
        return self._cross[key]

    def vertical(self, state, block, kind):
        key = (state, block, kind)
        if key not in self._vertical:
            self._vertical[key] = self._compute_vertical(state, block, kind)
        return self._vertical[key]

    def accepts(self, state):
        if state == DONE:
            return True
        degrees, labels = state
        return ODD not in degrees and set(labels) - {-1} == {0}

    def _compute_cross(self, state, copies):
        if state == DONE:
            return DONE if not any(copies) else None
        degrees, labels = state
        new_degrees, new_labels = [UNTOUCHED] * self.size, [-1] * self.size
        fresh = self.size
        for node, count in enumerate(copies):
            degree = degrees[node]
            # the node left behind keeps its degree for good: it must end even
            if (degree == ODD) != (count == 1):
                return None
            if not count:
                continue
            label = labels[node]
            if degree == UNTOUCHED:
                label, fresh = fresh, fresh + 1
            new_degrees[node] = ODD if count == 1 else EVEN
            new_labels[node] = label
        components = set(labels) - {-1}
        if components - set(new_labels):
            # a component reaches no further: it must be the whole, finished tour
            return DONE if len(components) == 1 and not any(copies) else None
        return _canonical(new_degrees, new_labels)

    def _compute_vertical(self, state, block, kind):
        if state == DONE or kind == NONE:
            return state if kind == NONE else None
        degrees, labels = list(state[0]), list(state[1])
        low_copies, high_copies, joins = BLOCK_EFFECTS[kind]
        fresh = self.size
        for node, count in ((block, low_copies), (block + 1, high_copies)):
            if count:
                if labels[node] < 0:
                    labels[node], fresh = fresh, fresh + 1
                degrees[node] = _add_copies(degrees[node], count)
        if joins:
            merged, kept = labels[block + 1], labels[block]
            labels = [kept if label == merged else label for label in labels]
        return _canonical(degrees, labels)


_TRANSITIONS = {}


def _transitions(size):
    if size not in _TRANSITIONS:
        _TRANSITIONS[size] = _Transitions(size)
    return _TRANSITIONS[size]


@dataclass
class _Column:
    """An aisle (or the depot's place on the front cross-aisle, which cannot be walked
    along) with its points per block as ``(y, stop or DEPOT)``."""

    x: float
    walkable: bool
    blocks: list = field(default_factory=list)


def _columns(layout, stops):
    middles = layout.middle_cross_aisles
    columns = [
        _Column(layout.aisle_x(aisle), True, [[] for _block in range(layout.blocks)])
        for aisle in range(1, layout.aisles + 1)
    ]
    for stop in stops:
        block = bisect_left(middles, stop.position)
        columns[stop.aisle - 1].blocks[block].append((stop.position, stop))
    depot_column = next(
        (column for column in columns if abs(column.x - layout.depot) <= TOLERANCE), None
    )
    if depot_column is None:
        depot_column = _Column(float(layout.depot), False, [[] for _block in range(layout.blocks)])
        columns.append(depot_column)
        columns.sort(key=lambda column: column.x)
    depot_column.blocks[0].insert(0, (0.0, DEPOT))
    for column in columns:
        for points in column.blocks:
            points.sort(key=lambda point: (point[0], point[1] is not DEPOT))
    return columns


def _largest_gap_segment(ys):
    """Index of the segment (0 is the one from the lower cross-aisle) that leaves out
    the largest gap between two consecutive points."""
    gaps = [(ys[index + 1] - ys[index], index + 1) for index in range(len(ys) - 1)]
    return max(gaps, key=lambda gap: gap[0])[1]


def _block_options(low, high, points, walkable):
    """(kind, walking cost) of each way worth considering for one block."""
    length = high - low
    ys = [y for y, _payload in points]
    if not ys:
        if not walkable:
            return ((NONE, 0.0),)
        return ((NONE, 0.0), (ONE_PASS, length), (TWO_PASS, 2 * length))
    if not walkable:
        # only the depot, on the front cross-aisle itself
        return ((FROM_LOW, 0.0),)
    options = [
        (ONE_PASS, length),
        (TWO_PASS, 2 * length),
        (FROM_LOW, 2 * (ys[-1] - low)),
        (FROM_HIGH, 2 * (high - ys[0])),
    ]
    if len(ys) > 1:
        gap_segment = _largest_gap_segment(ys)
        options.append((GAP, 2 * (length - (ys[gap_segment] - ys[gap_segment - 1]))))
    return tuple(options)


def _relax(current, moves, transition):
    """One DP step: best cost of each reachable state, and how it was reached."""
    reached, trail = {}, {}
    for state, cost in current.items():
        for choice, extra in moves:
            new_state = transition(state, choice)
            if new_state is None:
                continue
            total = cost + extra
            if new_state not in reached or total < reached[new_state] - TOLERANCE:
                reached[new_state] = total
                trail[new_state] = (state, choice)
    return reached, trail


def _solve(layout, columns):
    """Best cost and the choices behind it: ``[(column, crossing copies or None,
    [kind per block])]``."""
    transitions = _transitions(len(layout.cross_aisles))
    cross_y = layout.cross_aisles
    current = {transitions.empty: 0.0}
    steps = []
    for index, column in enumerate(columns):
        if index:
            dx = column.x - columns[index - 1].x
            moves = [(copies, sum(copies) * dx) for copies in transitions.crossings]
            current, trail = _relax(current, moves, transitions.cross)
            steps.append((index, None, trail))
        for block, points in enumerate(column.blocks):
            moves = _block_options(cross_y[block], cross_y[block + 1], points, column.walkable)
            current, trail = _relax(
                current,
                moves,
                lambda state, kind, block=block: transitions.vertical(state, block, kind),
            )
            steps.append((index, block, trail))
    finals = [(cost, state) for state, cost in current.items() if transitions.accepts(state)]
    cost, state = min(finals, key=lambda final: final[0])
    crossings = [None] * len(columns)
    kinds = [[NONE] * layout.blocks for _column in columns]
    for index, block, trail in reversed(steps):
        state, choice = trail[state]
        if block is None:
            crossings[index] = choice
        else:
            kinds[index][block] = choice
    return cost, crossings, kinds


def _segment_copies(kind, segments, ys):
    if kind in (NONE, ONE_PASS, TWO_PASS):
        return [{NONE: 0, ONE_PASS: 1, TWO_PASS: 2}[kind]] * segments
    skipped = {FROM_LOW: segments - 1, FROM_HIGH: 0}.get(kind)
    if kind == GAP:
        skipped = _largest_gap_segment(ys)
    return [0 if segment == skipped else 2 for segment in range(segments)]


def _tour_edges(columns, crossings, kinds):
    """The chosen multigraph: the edges as node pairs, and each node's edge indices."""
    edges, adjacency = [], defaultdict(list)

    def add(first, second, copies):
        for _copy in range(copies):
            adjacency[first].append(len(edges))
            adjacency[second].append(len(edges))
            edges.append((first, second))

    for index, column in enumerate(columns):
        for node, copies in enumerate(crossings[index] or ()):
            add(("x", index - 1, node), ("x", index, node), copies)
        for block, points in enumerate(column.blocks):
            chain = [("x", index, block)]
            chain += [("p", index, block, rank) for rank in range(len(points))]
            chain.append(("x", index, block + 1))
            ys = [y for y, _payload in points]
            copies = _segment_copies(kinds[index][block], len(chain) - 1, ys)
            for segment, count in enumerate(copies):
                add(chain[segment], chain[segment + 1], count)
    return edges, adjacency


def _euler_circuit(edges, adjacency, start):
    """Hierholzer's algorithm: every edge once, from ``start`` back to it."""
    used = [False] * len(edges)
    cursor = defaultdict(int)
    stack, circuit = [start], []
    while stack:
        node = stack[-1]
        incident = adjacency[node]
        position = cursor[node]
        while position < len(incident) and used[incident[position]]:
            position += 1
        cursor[node] = position
        if position == len(incident):
            circuit.append(stack.pop())
            continue
        edge = incident[position]
        used[edge] = True
        first, second = edges[edge]
        stack.append(second if first == node else first)
    circuit.reverse()
    return circuit


def optimal_route(layout, picks):
    """Shortest tour from the depot through every pick and back.

    ``picks`` are ``(key, aisle, position)`` triples; the Route lists the keys in
    walking order (picks at the same place together, in their input order)."""
    stops = group_stops(layout, picks)
    if not stops:
        return Route(order=(), length=0.0, method=METHOD, exact=True)
    columns = _columns(layout, stops)
    length, crossings, kinds = _solve(layout, columns)
    edges, adjacency = _tour_edges(columns, crossings, kinds)
    depot_index = next(
        index
        for index, column in enumerate(columns)
        if column.blocks[0] and column.blocks[0][0][1] is DEPOT
    )
    payloads = {
        ("p", index, block, rank): payload
        for index, column in enumerate(columns)
        for block, points in enumerate(column.blocks)
        for rank, (_y, payload) in enumerate(points)
    }
    visited, order = set(), []
    for node in _euler_circuit(edges, adjacency, ("p", depot_index, 0, 0)):
        stop = payloads.get(node)
        if stop is not None and stop is not DEPOT and id(stop) not in visited:
            visited.add(id(stop))
            order.append(stop)
    if len(visited) != len(stops):
        raise RuntimeError("The optimal tour misses picks: the layout graph is inconsistent.")
    # either direction is as short: start with the stop nearer to the depot
    first, last = (layout.point(stop.aisle, stop.position) for stop in (order[0], order[-1]))
    if layout.distance(layout.depot_point, last) < layout.distance(layout.depot_point, first):
        order.reverse()
    return Route(
        order=tuple(key for stop in order for key in stop.keys),
        length=length,
        method=METHOD,
        exact=True,
    )
