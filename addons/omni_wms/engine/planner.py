"""One entry point for every layout and routing method."""

from .heuristics import combined_route, largest_gap_route, s_shape_route
from .layout import LayoutError, is_number, shown
from .matrix import DEFAULT_TIME_BUDGET, MatrixLayout, aisle_search_route, matrix_route
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
MAX_TIME_BUDGET = 10.0


def plan_route(layout, picks, method="optimal", time_budget=DEFAULT_TIME_BUDGET):
    """Route through ``picks`` in ``layout`` with ``method``.

    For an AisleLayout, picks are ``(key, aisle, position)`` and ``method`` one of
    AISLE_METHODS ("optimal" is exact up to EXACT_MIDDLE_CROSS_AISLES middle
    cross-aisles, local search within ``time_budget`` seconds beyond). For a
    MatrixLayout, picks are ``(key, place)`` and the route comes from local search
    within ``time_budget`` seconds (at most MAX_TIME_BUDGET)."""
    _check_request(method, time_budget)
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
    if method == "optimal" and not layout.exact_routing:
        return aisle_search_route(layout, picks, time_budget)
    return AISLE_METHODS[method](layout, picks)


def _check_request(method, time_budget):
    if not isinstance(method, str):
        raise LayoutError(f"method must be the name of a routing method, not {shown(method)}.")
    if not (is_number(time_budget) and 0 <= time_budget <= MAX_TIME_BUDGET):
        raise LayoutError(
            f"time_budget must be a number of seconds from 0 to {MAX_TIME_BUDGET:g}, "
            f"not {shown(time_budget)}."
        )
