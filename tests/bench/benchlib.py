"""Shared helpers of the benchmarks: the prepared database, timings, JSON output."""

import contextlib
import json
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT / "tests"))
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

import odoo_session
from omni_cli.engines import load_engine  # noqa: F401 - re-exported for the scripts

# correctness checks that failed, as "benchmark: check"
FAILED_CHECKS = []


@contextlib.contextmanager
def environment(commit=False):
    """A superuser environment on the benchmark database, rolled back unless ``commit``."""
    registry = odoo_session.registry()
    with registry.cursor() as cursor:
        yield odoo_session.environment(cursor)
        if not commit:
            cursor.rollback()


def timed(function, repeat=1):
    """(median seconds, last result) of ``repeat`` calls of ``function``."""
    durations, result = [], None
    for _run in range(repeat):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), result


def emit(benchmark, omni_seconds=None, odoo_seconds=None, checks=None, **figures):
    """Print one JSON line: the figures, and Omni's speed-up over Odoo when both ran.

    ``checks`` maps correctness checks of the benchmark (Omni and Odoo found the same
    quantities, the route is the shortest...) to whether they hold; they are printed
    with the figures, and one that fails makes ``run`` exit with status 1."""
    checks = checks or {}
    record = {"benchmark": benchmark, **figures, **checks}
    if omni_seconds is not None:
        record["omni_seconds"] = round(omni_seconds, 6)
    if odoo_seconds is not None:
        record["odoo_seconds"] = round(odoo_seconds, 6)
    if omni_seconds and odoo_seconds:
        record["ratio_odoo_over_omni"] = round(odoo_seconds / omni_seconds, 2)
    print(json.dumps(record), flush=True)
    FAILED_CHECKS.extend(f"{benchmark}: {name}" for name, holds in checks.items() if not holds)
    return record


def run(main):
    """Run a benchmark script's ``main``; exit with status 1, naming them, when some of
    its correctness checks failed: figures measured on wrong results mean nothing."""
    main()
    if FAILED_CHECKS:
        print(f"Correctness check(s) failed: {'; '.join(FAILED_CHECKS)}", file=sys.stderr)
        sys.exit(1)
