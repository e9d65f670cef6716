"""./scripts/omni pick-route: JSON in, the route out, without Odoo."""

import json
import os
import subprocess
import sys

OMNI = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "omni")
LAYOUT = {"aisles": 4, "aisle_length": 10, "aisle_spacing": 3, "depot": 0}


def pick_route(argument, stdin=None):
    return subprocess.run(
        [sys.executable, OMNI, "pick-route", argument],
        # no Odoo is needed: point its discovery nowhere
        env={**os.environ, "ODOO_SRC": "/nonexistent"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_route_from_a_file_with_an_unplaced_pick(tmp_path):
    request = tmp_path / "picks.json"
    request.write_text(
        json.dumps(
            {
                "layout": LAYOUT,
                "picks": [
                    {"id": "P3", "aisle": 4, "position": 3.75, "qty": 2},
                    {"id": "DOCK"},
                    {"id": "P1", "aisle": 1, "position": 1.25},
                    {"id": "P2", "aisle": 2, "position": 8.75},
                ],
            }
        )
    )
    result = pick_route(str(request))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    # up aisle 1, along the back to aisle 4, down it, home, and P2 from the back: 40.5 m
    assert answer["length"] == 40.5
    assert answer["method"] == "optimal" and answer["exact"] is True
    assert [pick["id"] for pick in answer["picks"]] == ["P1", "P2", "P3", "DOCK"]
    assert [pick["sequence"] for pick in answer["picks"]] == [1, 2, 3, 4]
    assert answer["picks"][2]["qty"] == 2, "the picks come back as given"
    assert answer["warnings"] == ["picks without aisle and position come last, unrouted: 1"]


def test_middle_cross_aisle_and_heuristics_from_standard_input():
    request = {
        "layout": {**LAYOUT, "aisles": 3, "aisle_spacing": 2, "middle_cross_aisles": [5]},
        "picks": [{"id": "a", "aisle": 1, "position": 4}, {"id": "c", "aisle": 3, "position": 6}],
    }
    answer = json.loads(pick_route("-", json.dumps(request)).stdout)
    assert answer["length"] == 20.0
    answer = json.loads(pick_route("-", json.dumps({**request, "method": "s_shape"})).stdout)
    assert (answer["method"], answer["exact"], answer["length"]) == ("s_shape", False, 28.0)


def test_distance_matrix_layout():
    request = {
        "layout": {"distances": [[abs(i - j) for j in range(4)] for i in range(4)], "depot": 0},
        "picks": [{"id": "far", "place": 3}, {"id": "near", "place": 1}],
    }
    answer = json.loads(pick_route("-", json.dumps(request)).stdout)
    assert answer["method"] == "local_search"
    assert answer["length"] == 6.0
    assert [pick["id"] for pick in answer["picks"]] in (["near", "far"], ["far", "near"])


def test_bad_input_is_reported_with_status_2(tmp_path):
    cases = [
        ("{not json", "is not valid JSON"),
        (json.dumps({"layout": LAYOUT}), 'a list of "picks"'),
        (
            json.dumps({"layout": {"aisles": 4}, "picks": []}),
            "missing: aisle_length, aisle_spacing",
        ),
        (json.dumps({"layout": {**LAYOUT, "depot": 20}, "picks": []}), "depot at 20"),
        (
            json.dumps({"layout": LAYOUT, "picks": [{"id": 1, "aisle": 9, "position": 1}]}),
            "Aisle 9 is not in this layout",
        ),
        (json.dumps({"layout": LAYOUT, "picks": [{"aisle": 1}]}), 'every pick needs an "id"'),
    ]
    for stdin, message in cases:
        result = pick_route("-", stdin)
        assert result.returncode == 2, stdin
        assert message in result.stderr, (stdin, result.stderr)
        assert result.stdout == ""
    missing = pick_route(str(tmp_path / "absent.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
