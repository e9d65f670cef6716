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
"""

import importlib.util
import json
import sys
from pathlib import Path

from .errors import SetupError
from .odoo_env import PROJECT_ROOT

AISLE_KEYS = ("aisles", "aisle_length", "aisle_spacing")


def load_engine():
    """The omni_wms engine, imported without Odoo as the suite's tests do."""
    path = PROJECT_ROOT / "tests" / "engine_loader.py"
    spec = importlib.util.spec_from_file_location("omni_engine_loader", path)
    loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    return loader.load_engine("omni_wms")


def _read(source):
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        return json.loads(text)
    except OSError as error:
        raise SetupError(f"cannot read {source}: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise SetupError(f"{source} is not valid JSON: {error}") from error


def _layout(engine, spec):
    if not isinstance(spec, dict):
        raise SetupError('"layout" must be an object.')
    if "distances" in spec:
        return engine.MatrixLayout(spec["distances"], spec.get("depot", 0)), ("place",)
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
        middle_cross_aisles=tuple(spec.get("middle_cross_aisles") or ()),
        depot=spec.get("depot", 0.0),
    )
    return layout, ("aisle", "position")


def plan(engine, data):
    """The JSON answer to the request ``data``."""
    if not isinstance(data, dict) or not isinstance(data.get("picks"), list):
        raise SetupError('the input needs "layout" and a list of "picks".')
    layout, keys = _layout(engine, data.get("layout"))
    picks = data["picks"]
    if not all(isinstance(pick, dict) and "id" in pick for pick in picks):
        raise SetupError('every pick needs an "id".')
    placed = [
        index for index, pick in enumerate(picks) if all(pick.get(k) is not None for k in keys)
    ]
    unplaced = [index for index in range(len(picks)) if index not in set(placed)]
    route = engine.plan_route(
        layout,
        [(index, *(picks[index][key] for key in keys)) for index in placed],
        data.get("method", "optimal"),
        **({"time_budget": data["time_budget"]} if "time_budget" in data else {}),
    )
    order = [*route.order, *unplaced]
    answer = {
        "method": route.method,
        "exact": route.exact,
        "length": round(route.length, 6),
        "picks": [{**picks[index], "sequence": rank} for rank, index in enumerate(order, 1)],
    }
    if unplaced:
        answer["warnings"] = [
            f"picks without {' and '.join(keys)} come last, unrouted: {len(unplaced)}"
        ]
    return answer


def pick_route_command(source):
    engine = load_engine()
    data = _read(source)
    try:
        answer = plan(engine, data)
    except (TypeError, ValueError) as error:  # LayoutError is a ValueError
        raise SetupError(f"invalid input: {error}") from error
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0
