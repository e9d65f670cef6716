"""Pick-path engine: shortest picking tours in warehouse layouts, in plain Python.

``plan_route`` is the entry point: a layout (``AisleLayout`` for rectangular warehouses,
``MatrixLayout`` for any other, given as a distance matrix), the picks and a method; it
returns a ``Route``: the picks in walking order and the length of the walk.
"""

from .heuristics import combined_route, largest_gap_route, s_shape_route
from .layout import (
    EXACT_MIDDLE_CROSS_AISLES,
    MAX_AISLES,
    MAX_METRES,
    MAX_MIDDLE_CROSS_AISLES,
    AisleLayout,
    LayoutError,
    PickError,
)
from .matrix import MAX_PLACES, MatrixLayout, aisle_search_route, matrix_route
from .optimal import optimal_route
from .planner import AISLE_METHODS, MATRIX_METHODS, MAX_TIME_BUDGET, plan_route
from .route import Route, input_order_route
