"""An exact pick-tour solver written independently of the omni_wms engine.

It builds the warehouse graph explicitly (nodes where aisles meet cross-aisles, at the
picks and at the depot), takes shortest paths with Dijkstra, and solves the travelling
salesman problem over the depot and the picks with the Held-Karp dynamic programme over
subsets. Exponential, so only for small instances: it is the yardstick the engine's
linear-time routes are checked against in the tests and the benchmark.
"""

import heapq
from collections import defaultdict
from itertools import pairwise


def warehouse_graph(aisles, aisle_length, aisle_spacing, cross_aisles, depot_x, picks):
    """Weighted adjacency of the warehouse and the node of each pick and of the depot.

    ``cross_aisles`` lists the ``y`` of every cross-aisle (front 0 and back included),
    ``picks`` is a list of ``(aisle, position)``."""
    graph = defaultdict(dict)

    def connect(first, second):
        length = abs(first[0] - second[0]) + abs(first[1] - second[1])
        previous = graph[first].get(second)
        if previous is None or length < previous:
            graph[first][second] = graph[second][first] = length

    depot = (float(depot_x), 0.0)
    pick_nodes = [((aisle - 1) * aisle_spacing, float(position)) for aisle, position in picks]
    # every node of the front cross-aisle, the depot included, then each cross-aisle
    for y in cross_aisles:
        row = {((aisle - 1) * aisle_spacing, float(y)) for aisle in range(1, aisles + 1)}
        if y == 0:
            row.add(depot)
        row = sorted(row)
        for first, second in pairwise(row):
            connect(first, second)
    for aisle in range(1, aisles + 1):
        x = (aisle - 1) * aisle_spacing
        column = {(x, float(y)) for y in cross_aisles}
        column |= {node for node in pick_nodes if node[0] == x}
        column = sorted(column, key=lambda node: node[1])
        for first, second in pairwise(column):
            connect(first, second)
    return graph, depot, pick_nodes


def shortest_paths(graph, source):
    distances = {source: 0.0}
    queue = [(0.0, source)]
    while queue:
        distance, node = heapq.heappop(queue)
        if distance > distances[node]:
            continue
        for neighbour, length in graph[node].items():
            candidate = distance + length
            if candidate < distances.get(neighbour, float("inf")):
                distances[neighbour] = candidate
                heapq.heappush(queue, (candidate, neighbour))
    return distances


def held_karp(matrix):
    """Length of the shortest Hamiltonian cycle through every index of ``matrix``
    starting from index 0."""
    size = len(matrix)
    if size <= 1:
        return 0.0
    others = size - 1
    best = {}
    for city in range(1, size):
        best[(1 << (city - 1), city)] = matrix[0][city]
    for subset in range(1, 1 << others):
        for last in range(1, size):
            bit = 1 << (last - 1)
            if not subset & bit or (subset, last) not in best:
                continue
            base = best[(subset, last)]
            for following in range(1, size):
                following_bit = 1 << (following - 1)
                if subset & following_bit:
                    continue
                key = (subset | following_bit, following)
                candidate = base + matrix[last][following]
                if candidate < best.get(key, float("inf")):
                    best[key] = candidate
    full = (1 << others) - 1
    return min(best[(full, last)] + matrix[last][0] for last in range(1, size))


def exact_tour_length(
    aisles, aisle_length, aisle_spacing, picks, depot_x=0.0, middle_cross_aisles=()
):
    """Shortest tour from the depot through every pick position and back."""
    cross_aisles = [0.0, *sorted(middle_cross_aisles), float(aisle_length)]
    graph, depot, pick_nodes = warehouse_graph(
        aisles, aisle_length, aisle_spacing, cross_aisles, depot_x, picks
    )
    stops = [depot] + sorted(set(pick_nodes) - {depot})
    distances = [shortest_paths(graph, stop) for stop in stops]
    matrix = [[row[stop] for stop in stops] for row in distances]
    return held_karp(matrix)


def graph_distance(aisles, aisle_length, aisle_spacing, first, second, middle_cross_aisles=()):
    """Shortest walk between two ``(aisle, position)`` places, through the graph."""
    cross_aisles = [0.0, *sorted(middle_cross_aisles), float(aisle_length)]
    graph, _depot, (source, target) = warehouse_graph(
        aisles, aisle_length, aisle_spacing, cross_aisles, 0.0, [first, second]
    )
    return shortest_paths(graph, source)[target]
