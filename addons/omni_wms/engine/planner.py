"""One entry point for every layout and routing method."""

from .heuristics import combined_route, largest_gap_route, s_shape_route
from .layout import LayoutError
from .matrix import DEFAULT_TIME_BUDGET, MatrixLayout, matrix_route
from .optimal import optimal_route
from .route import input_order_route

AISLE_METHODS = {
    "optimal": optimal_route,
    "s_shape": s_shape_route,
    "largest_gap": largest_gap_route,
    "combined": combined_route,
    "input_order": input_order_route,
}
MATRIX_METHODS = ("optimal", "local_search")


def plan_route(layout, picks, method="optimal", time_budget=DEFAULT_TIME_BUDGET):
    """Route through ``picks`` in ``layout`` with ``method``.

    For an AisleLayout, picks are ``(key, aisle, position)`` and ``method`` one of
    AISLE_METHODS ("optimal" is exact). For a MatrixLayout, picks are ``(key, place)``
    and the route comes from local search within ``time_budget`` seconds."""
    if isinstance(layout, MatrixLayout):
        if method not in MATRIX_METHODS:
            raise LayoutError(
                f"Method {method!r} needs aisles; a distance matrix is routed by local search."
            )
        return matrix_route(layout, picks, time_budget)
    if method not in AISLE_METHODS:
        raise LayoutError(
            f"Unknown routing method {method!r}; use one of {', '.join(AISLE_METHODS)}."
        )
    return AISLE_METHODS[method](layout, picks)
