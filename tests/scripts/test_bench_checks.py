"""Benchmarks check their own results: a failed correctness check fails the script, and
the bench command with it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from omni_cli.bench import run_benchmarks

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"
SCRIPT = """\
import sys
sys.path.insert(0, {bench_dir!r})
import benchlib

def main():
    benchlib.emit("demo_speed", omni_seconds=0.5, odoo_seconds=1.0)
    benchlib.emit("demo_result", checks={{"same_quantities": {same}, "shortest": True}})

benchlib.run(main)
"""


def bench_script(tmp_path, name, same):
    script = tmp_path / f"{name}.py"
    script.write_text(SCRIPT.format(bench_dir=str(BENCH_DIR), same=same))
    return script


def run(script):
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False, timeout=60
    )


def test_a_benchmark_whose_check_fails_exits_with_an_error_naming_it(tmp_path):
    result = run(bench_script(tmp_path, "bench_wrong", False))
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[1] == {"benchmark": "demo_result", "same_quantities": False, "shortest": True}
    assert result.stderr.strip() == "Correctness check(s) failed: demo_result: same_quantities"


def test_a_benchmark_whose_checks_hold_exits_normally(tmp_path):
    result = run(bench_script(tmp_path, "bench_right", True))
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout.splitlines()[0])["ratio_odoo_over_omni"] == 2.0


def test_the_bench_command_reports_the_failing_benchmarks(tmp_path):
    right = bench_script(tmp_path, "bench_right", True)
    wrong = bench_script(tmp_path, "bench_wrong", False)
    failed = run_benchmarks(sys.executable, [right, wrong], dict(os.environ))
    assert failed == [wrong]
