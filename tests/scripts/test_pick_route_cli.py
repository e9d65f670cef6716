"""./scripts/omni pick-route: JSON in, the route out, without Odoo."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
OMNI = str(PROJECT / "scripts" / "omni")
LAYOUT = {"aisles": 4, "aisle_length": 10, "aisle_spacing": 3, "depot": 0}


def pick_route(argument, stdin=None, omni=OMNI):
    return subprocess.run(
        [sys.executable, omni, "pick-route", argument],
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
        (
            json.dumps({"layout": {**LAYOUT, "depot": 20}, "picks": []}),
            "depot must be a number of metres from 0 to 9, not 20",
        ),
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


def refused(stdin):
    """The one-line message of a refused request."""
    result = pick_route("-", stdin)
    assert (result.returncode, result.stdout) == (2, ""), (stdin[:200], result)
    [line] = result.stderr.splitlines()
    return line


def test_malformed_values_are_refused_naming_the_field():
    pick = {"id": "L1", "aisle": 2, "position": 3}
    cases = [
        ({"middle_cross_aisles": "15"}, [pick], "middle_cross_aisles must be a list"),
        ({"middle_cross_aisles": [True]}, [pick], "each middle_cross_aisles position must be"),
        ({"aisle_length": "1e400"}, [pick], "aisle_length must be a number of metres"),
        ({"aisles": True}, [pick], "aisles must be a whole number from 1 to 500, not True"),
        ({"aisles": 10**6}, [pick], "aisles must be a whole number from 1 to 500"),
        ({"aisle_spacing": 10**400}, [pick], "aisle_spacing must be a number of metres over 0"),
        ({"depot": None}, [pick], "depot must be a number of metres from 0 to 9, not None"),
        ({"middle_cross_aisle": [5]}, [pick], "unknown field(s) 'middle_cross_aisle'"),
        ({}, [{**pick, "aisle": True}], 'picks[0] (id "L1"): aisle must be a whole number'),
        ({}, [pick, {**pick, "position": "3"}], 'picks[1] (id "L1"): position must be'),
    ]
    for layout, picks, message in cases:
        line = refused(json.dumps({"layout": {**LAYOUT, **layout}, "picks": picks}))
        assert message in line, (layout, picks, line)
    text = json.dumps({"layout": LAYOUT, "picks": [pick]})
    for bad, message in [
        ('"aisle_length": 1e400', "layout.aisle_length must be a finite number, not inf"),
        ('"aisle_length": NaN', "layout.aisle_length must be a finite number, not nan"),
        ('"aisle_length": -Infinity', "layout.aisle_length must be a finite number, not -inf"),
        ('"aisle_length": ' + "9" * 5000, "holds a number too long to be read"),
    ]:
        assert message in refused(text.replace('"aisle_length": 10', bad)), bad
    assert "picks[0].qty must be a finite number" in refused(
        text.replace('"position": 3', '"position": 3, "qty": 1e999')
    )
    assert "nests arrays or objects too deep" in refused("[" * 100000 + "]" * 100000)
    request = {"layout": LAYOUT, "picks": [pick]}
    assert "method must be the name of a routing method" in refused(
        json.dumps({**request, "method": ["optimal"]})
    )
    assert "time_budget must be a number of seconds from 0 to 10, not 1e+300" in refused(
        json.dumps({**request, "time_budget": 1e300})
    )
    matrix = {"distances": [[0, 1], [1, 0]]}
    for layout, picks, message in [
        ({"distances": "01"}, [], "distances must be a list of at most 2000 rows"),
        ({**matrix, "depot": True}, [], "depot must be a whole number, not True"),
        (matrix, [{"id": 7, "place": True}], "picks[0] (id 7): place must be a whole number"),
    ]:
        assert message in refused(json.dumps({"layout": layout, "picks": picks}))


def test_more_middle_cross_aisles_than_exact_routing_takes_are_searched_and_say_so():
    layout = {
        **LAYOUT,
        "aisles": 30,
        "aisle_length": 60,
        "middle_cross_aisles": [10, 20, 30, 40, 50],
    }
    picks = [{"id": n, "aisle": 1 + 7 * n % 30, "position": 4.5 * n % 60} for n in range(40)]
    result = pick_route("-", json.dumps({"layout": layout, "picks": picks}))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["method"], answer["exact"]) == ("local_search", False)
    [warning] = answer["warnings"]
    assert warning == (
        "Exact routing takes at most 2 middle cross-aisles; with 5, the route comes from "
        "0.2 s of local search and may not be the shortest."
    )
    assert sorted(pick["id"] for pick in answer["picks"]) == list(range(40))
    over = refused(
        json.dumps({"layout": {**layout, "middle_cross_aisles": list(range(1, 12))}, "picks": []})
    )
    assert "middle_cross_aisles must be a list of at most 10 positions in metres" in over


def test_the_command_needs_nothing_from_the_tests(tmp_path):
    shutil.copytree(PROJECT / "scripts", tmp_path / "scripts")
    shutil.copytree(
        PROJECT / "addons" / "omni_wms" / "engine", tmp_path / "addons" / "omni_wms" / "engine"
    )
    request = json.dumps({"layout": LAYOUT, "picks": [{"id": "P", "aisle": 2, "position": 1}]})
    result = pick_route("-", request, omni=str(tmp_path / "scripts" / "omni"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["length"] == 8.0
