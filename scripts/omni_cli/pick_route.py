"""The pick-route command: a picking route planned from JSON by the omni_wms engine.

Input (a file, or standard input with ``-``)::

    {"layout": {"aisles": 10, "aisle_length": 30, "aisle_spacing": 3,
                "middle_cross_aisles": [15], "depot": 0},
     "picks": [{"id": "L1", "aisle": 3, "position": 12.5}, ...],
     "method": "optimal"}

or, for a layout of another shape, a symmetric distance matrix between numbered places
and picks given by place::

    {"layout": {"distances": [[0, 4, 7], [4, 0, 3], [7, 3, 0]], "depot": 0},
     "picks": [{"id": "L1", "place": 2}, ...], "time_budget": 0.2}

Output: the picks in walking order, each with its ``sequence``, the route ``length``
and the ``method``. Picks without aisle and position (or place) come last, with a
warning, as pick lists do in Odoo.

Limits: at most 500 aisles, 10 middle cross-aisles, 2,000 places in a distance matrix,
lengths up to 100,000 m, a time budget up to 10 s. The route is exact ("exact": true)
with up to 2 middle cross-aisles; with more, "optimal" is served by local search within
the time budget ("exact": false, and a warning says so). Anything else is refused with
exit status 2 and a message naming the field at fault.
"""

import json
import math
import sys
from pathlib import Path

from .engines import load_engine
from .errors import SetupError

REQUEST_KEYS = ("layout", "picks", "method", "time_budget")
AISLE_KEYS = ("aisles", "aisle_length", "aisle_spacing")
AISLE_LAYOUT_KEYS = (*AISLE_KEYS, "middle_cross_aisles", "depot")
MATRIX_LAYOUT_KEYS = ("distances", "depot")


def _non_finite(data):
    """(JSON path, value) of the first NaN or infinite number in ``data``, or None.
    Python reads NaN, Infinity and numbers beyond 1.8e308 so; JSON has no such numbers."""
    stack = [("the input", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return path, value
        if isinstance(value, dict):
            items = [(f"{path}.{key}", item) for key, item in value.items()]
        elif isinstance(value, list):
            items = [(f"{path}[{index}]", item) for index, item in enumerate(value)]
        else:
            items = []
        stack.extend(reversed(items))
    return None


def _read(source):
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        data = json.loads(text)
    except OSError as error:
        raise SetupError(f"cannot read {source}: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise SetupError(f"{source} is not UTF-8 text: {error.reason}") from error
    except json.JSONDecodeError as error:
        raise SetupError(f"{source} is not valid JSON: {error}") from error
    except RecursionError as error:
        raise SetupError(f"{source} nests arrays or objects too deep to be read.") from error
    except ValueError as error:  # an integer of thousands of digits
        reason = str(error).split(";")[0]
        raise SetupError(f"{source} holds a number too long to be read: {reason}.") from error
    non_finite = _non_finite(data)
    if non_finite:
        raise SetupError(
            f"{non_finite[0].removeprefix('the input.')} must be a finite number, not "
            f"{non_finite[1]} (numbers beyond about 1.8e308 do not fit)."
        )
    return data


def _check_keys(data, known, what):
    unknown = [key for key in data if key not in known]
    if unknown:
        raise SetupError(
            f"{what} has unknown field(s) {', '.join(map(repr, unknown))}; it takes "
            f"{', '.join(known)}."
        )


def _layout(engine, spec):
    if not isinstance(spec, dict):
        raise SetupError('"layout" must be an object.')
    if "distances" in spec:
        _check_keys(spec, MATRIX_LAYOUT_KEYS, '"layout" with "distances"')
        return engine.MatrixLayout(spec["distances"], spec.get("depot", 0)), ("place",)
    _check_keys(spec, AISLE_LAYOUT_KEYS, '"layout"')
    missing = [key for key in AISLE_KEYS if key not in spec]
    if missing:
        raise SetupError(
            f"the layout needs {', '.join(AISLE_KEYS)} (or distances); missing: "
            f"{', '.join(missing)}."
        )
    layout = engine.AisleLayout(
        aisles=spec["aisles"],
        aisle_length=spec["aisle_length"],
        aisle_spacing=spec["aisle_spacing"],
        middle_cross_aisles=spec.get("middle_cross_aisles", ()),
        depot=spec.get("depot", 0.0),
    )
    return layout, ("aisle", "position")


def plan(engine, data):
    """The JSON answer to the request ``data``."""
    if not isinstance(data, dict) or not isinstance(data.get("picks"), list):
        raise SetupError('the input needs "layout" and a list of "picks".')
    _check_keys(data, REQUEST_KEYS, "the input")
    layout, keys = _layout(engine, data.get("layout"))
    picks = data["picks"]
    if not all(isinstance(pick, dict) and "id" in pick for pick in picks):
        raise SetupError('every pick needs an "id".')
    placed = [
        index for index, pick in enumerate(picks) if all(pick.get(k) is not None for k in keys)
    ]
    unplaced = [index for index in range(len(picks)) if index not in set(placed)]
    try:
        route = engine.plan_route(
            layout,
            [(index, *(picks[index][key] for key in keys)) for index in placed],
            data.get("method", "optimal"),
            **({"time_budget": data["time_budget"]} if "time_budget" in data else {}),
        )
    except engine.PickError as error:
        pick_id = json.dumps(picks[error.key]["id"])[:40]
        raise SetupError(f"picks[{error.key}] (id {pick_id}): {error.message}") from error
    order = [*route.order, *unplaced]
    answer = {
        "method": route.method,
        "exact": route.exact,
        "length": round(route.length, 6),
        "picks": [{**picks[index], "sequence": rank} for rank, index in enumerate(order, 1)],
    }
    warnings = list(route.notes)
    if unplaced:
        warnings.append(f"picks without {' and '.join(keys)} come last, unrouted: {len(unplaced)}")
    if warnings:
        answer["warnings"] = warnings
    return answer


def pick_route_command(source):
    engine = load_engine("omni_wms")
    data = _read(source)
    try:
        answer = plan(engine, data)
    except engine.LayoutError as error:
        raise SetupError(f"invalid input: {error}") from error
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0
