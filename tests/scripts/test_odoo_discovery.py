import os
import subprocess
import sys

import pytest
from omni_cli.errors import SetupError
from omni_cli.odoo_env import find_odoo, read_major_version

OMNI = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "omni")


def make_tree(path, major):
    (path / "odoo").mkdir(parents=True)
    (path / "odoo" / "release.py").write_text(f"version_info = ({major}, 0, 0, 'final', 0, '')\n")
    return path


def test_reads_the_major_version(tmp_path):
    assert read_major_version(make_tree(tmp_path / "o18", 18)) == 18
    assert read_major_version(make_tree(tmp_path / "o17", 17)) == 17
    assert read_major_version(tmp_path / "missing") is None


def test_odoo_src_comes_first(tmp_path):
    tree = make_tree(tmp_path / "custom", 18)
    other = make_tree(tmp_path / "conventional", 18)
    found = find_odoo({"ODOO_SRC": str(tree)}, python=sys.executable, conventional_paths=[other])
    assert found.source == tree.resolve()
    assert found.found_by == "ODOO_SRC"


def test_odoo_src_of_another_version_is_refused(tmp_path):
    tree = make_tree(tmp_path / "o17", 17)
    with pytest.raises(SetupError, match="not an Odoo 18.0 source tree"):
        find_odoo({"ODOO_SRC": str(tree)}, python=sys.executable)


def test_conventional_path_when_nothing_else(tmp_path):
    skipped = make_tree(tmp_path / "old", 16)
    tree = make_tree(tmp_path / "opt-odoo", 18)
    python = str(tmp_path / "no-python")  # nothing importable through it
    found = find_odoo({}, python=python, conventional_paths=[skipped, tree])
    assert found.source == tree


def test_no_odoo_anywhere_says_what_to_do(tmp_path):
    with pytest.raises(SetupError) as error:
        find_odoo({}, python=str(tmp_path / "no-python"), conventional_paths=[tmp_path / "x"])
    message = str(error.value)
    assert "ODOO_SRC" in message and "make setup" in message


def run_omni(*args, **env):
    return subprocess.run(
        [sys.executable, OMNI, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_test_command_without_odoo_fails_loudly(tmp_path):
    result = run_omni("test", ODOO_SRC=str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "ODOO_SRC" in result.stderr
    assert "passed" not in result.stdout


def test_unreachable_postgresql_is_reported(tmp_path):
    result = run_omni("test", PGHOST="127.0.0.1", PGPORT="1")
    assert result.returncode == 2
    assert "PostgreSQL is not reachable with PGHOST=127.0.0.1 PGPORT=1" in result.stderr
    assert "passed" not in result.stdout
