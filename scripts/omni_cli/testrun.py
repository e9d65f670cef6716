"""The test command: Odoo tests of the add-ons, suite-level tests, static checks."""

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .odoo_env import ADDONS_DIR, OMNI_MODULES, PROJECT_ROOT
from .odoo_run import (
    LOG_DIR,
    base_args,
    drop_database,
    free_port,
    module_states,
    process_env,
)
from .readme import stale_readmes

REPORT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
LOG_LEVEL_RE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ (ERROR|CRITICAL) ")
# Odoo's test HTTP server drops a connection left idle for 5 s (Chromium opens spare
# connections ahead of need) and logs it as an error; no request was lost.
IDLE_CONNECTION_RE = re.compile(r" ERROR \? werkzeug: .* Request timed out: TimeoutError")
TEST_START_RE = re.compile(r" (INFO|ERROR) \S+ odoo\.addons\.(\w+)\.tests\.\S+: Starting ")
SKIP_RE = re.compile(r" odoo\.addons\.(\w+)\.tests\.\S+: skipped (\S+) : (.*?)\s*$")
# Skips saying the machine cannot run a test (no browser for the tours): never a pass.
MACHINE_SKIP_RE = re.compile(r"websocket|chrom|browser", re.IGNORECASE)
# Odoo's own suites of the flows Omni extends: they run with every Omni add-on installed.
ODOO_SUITES = (
    "stock",
    "sale_stock",
    "stock_delivery",
    "delivery",
    "stock_picking_batch",
    "website_sale_collect",
    "stock_account",
)
# The only test left out: its tour assumes a database with one warehouse, and with several
# (Omni's demo has eight) Odoo opens its warehouse wizard first.
ODOO_SUITES_EXCLUDED = ("/stock:TestStockReportTour.test_stock_route_diagram_report",)


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0
    problems: list = field(default_factory=list)

    def record(self, passed, failed=0, problem=None):
        self.passed += passed
        self.failed += failed
        if problem:
            self.problems.append(problem)

    def check(self, ok, label, detail=""):
        self.record(int(ok), int(not ok), None if ok else f"{label}: {detail}".rstrip(": "))


def _stream(command, env, log_path, echo):
    """Run ``command``, keep its whole output in ``log_path``, echo chosen lines. Once
    it ends, what it started and left running is stopped (Odoo leaves a browser running
    when a tour cannot reach it): it would hold the output open, and the run with it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=PROJECT_ROOT,
            text=True,
            errors="replace",
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        reader = threading.Thread(target=_copy_output, args=(process.stdout, log, lines, echo))
        reader.start()
        try:
            returncode = process.wait()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            reader.join()
    return returncode, lines


def _copy_output(output, log, lines, echo):
    for line in output:
        log.write(line)
        lines.append(line.rstrip("\n"))
        if echo(line):
            print(line.rstrip("\n"), flush=True)


def _odoo_echo(line):
    return (
        bool(LOG_LEVEL_RE.match(line))
        or " odoo.modules.loading: loading " in line
        and ("modules..." in line)
    )


def _test_args(database, test_tags):
    return [
        "-d",
        database,
        "--test-enable",
        "--test-tags",
        ",".join(test_tags),
        "--stop-after-init",
        "--http-port",
        str(free_port()),
        "--http-interface",
        "127.0.0.1",
        "--log-level",
        "info",
        "--workers",
        "0",
        "--max-cron-threads",
        "0",
    ]


def run_odoo_tests(odoo, pg_settings, database, modules, test_tags, tally, install=None):
    """Install ``install`` (default ``modules``) with tests, add the outcome to tally."""
    install = install or modules
    log_path = LOG_DIR / f"{database}.log"
    command = odoo.command(
        *base_args(odoo), "-i", ",".join(install), *_test_args(database, test_tags)
    )
    print(
        f"==> Installing {', '.join(install)} with tests into {database} (full log: {log_path})",
        flush=True,
    )
    _run_and_tally(odoo, pg_settings, database, modules, test_tags, command, log_path, tally)


def _run_and_tally(odoo, pg_settings, database, modules, test_tags, command, log_path, tally):
    started = time.monotonic()
    returncode, lines = _stream(command, process_env(odoo, pg_settings), log_path, _odoo_echo)
    print(f"    done in {time.monotonic() - started:.0f}s", flush=True)

    states = module_states(odoo, pg_settings, database, modules)
    for module in modules:
        state = states.get(module, "absent")
        tally.check(state == "installed", f"module {module} installed", f"state is {state}")

    reports = [REPORT_RE.search(line) for line in lines]
    reports = [match for match in reports if match]
    if not reports:
        print("\n".join(lines[-25:]), flush=True)
        tally.check(False, "Odoo test report", f"Odoo stopped without one (exit {returncode})")
        return
    failed, errors, total = (int(value) for value in reports[-1].groups())
    tally.record(
        total - failed - errors,
        failed + errors,
        f"{failed + errors} Odoo test(s) failed" if failed + errors else None,
    )
    modules_tested = {match.group(2) for line in lines if (match := TEST_START_RE.search(line))}
    for module in modules:
        if module in {tag.lstrip("/") for tag in test_tags}:
            tally.check(module in modules_tested, f"tests of {module} ran", "none ran")
    _tally_skips(lines, tally)
    error_lines = odoo_error_lines(lines)
    tally.check(
        not error_lines,
        "Odoo log free of ERROR lines",
        f"{len(error_lines)} ERROR/CRITICAL line(s)",
    )
    tally.check(returncode == 0, "Odoo exit status", str(returncode))


def odoo_error_lines(lines):
    return [
        line for line in lines if LOG_LEVEL_RE.match(line) and not IDLE_CONNECTION_RE.search(line)
    ]


def _tally_skips(lines, tally):
    """A skipped test of Omni, or one the machine could not run, fails; the tests Odoo
    itself skips on purpose (too heavy, not in this set-up) are listed."""
    skips = [match.groups() for line in lines if (match := SKIP_RE.search(line))]
    for module, test, reason in skips:
        if module.startswith("omni") or MACHINE_SKIP_RE.search(reason):
            tally.check(False, f"{module}: {test} ran", f"skipped: {reason}")
        else:
            print(f"    Odoo skips {module}: {test} ({reason})", flush=True)


def run_suite_tests(odoo, pg_settings, database, tally):
    """Run with pytest the add-ons' engine tests and the suite-level tests of tests/
    against ``database``; every test counts, skips fail."""
    junit = LOG_DIR / "suite-junit.xml"
    junit.parent.mkdir(parents=True, exist_ok=True)
    print("==> Engine tests (addons/*/tests/engine) and suite-level tests (tests/)", flush=True)
    command = [
        odoo.python,
        "-m",
        "pytest",
        "-m",
        "not conformance",
        "-q",
        "-p",
        "no:cacheprovider",
        "--junitxml",
        str(junit),
    ]
    env = process_env(odoo, pg_settings, OMNI_TEST_DB=database)
    returncode = subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=False).returncode
    if not junit.exists():
        tally.check(False, "suite-level tests", f"pytest did not run (exit {returncode})")
        return
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total, failures, errors, skipped = (
        int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")
    )
    bad = failures + errors + skipped
    tally.record(
        total - bad, bad, f"{bad} suite test(s) failed, errored or were skipped" if bad else None
    )
    tally.check(total > 0, "suite-level tests collected", "none")


def run_static_checks(odoo, tally):
    print("==> Static checks (ruff, pylint-odoo, OCA module checks)", flush=True)
    addons = sorted(
        str(path) for path in ADDONS_DIR.iterdir() if (path / "__manifest__.py").exists()
    )
    checks = {
        "ruff check": [odoo.python, "-m", "ruff", "check", "--no-fix", "."],
        "ruff format": [odoo.python, "-m", "ruff", "format", "--check", "."],
        "pylint-odoo (OCA mandatory checks)": [
            odoo.python,
            "-m",
            "pylint",
            "--rcfile",
            str(PROJECT_ROOT / ".pylintrc-mandatory"),
            *addons,
        ],
        "OCA module checks (XML, CSV, manifest)": [
            odoo.python,
            "-m",
            "oca_pre_commit_hooks.cli",
            *addons,
        ],
    }
    stale = stale_readmes()
    tally.check(
        not stale,
        "README.md of each add-on matches its readme/ fragments",
        f"run ./scripts/omni readme for {', '.join(stale)}",
    )
    for label, command in checks.items():
        result = subprocess.run(
            command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
        )
        if result.returncode:
            print(result.stdout + result.stderr, flush=True)
        tally.check(result.returncode == 0, label, "see output above")


def finish(tally):
    for problem in tally.problems:
        print(f"FAILED: {problem}")
    print(f"{tally.passed} passed, {tally.failed} failed", flush=True)
    return 1 if tally.failed or not tally.passed else 0


def test_command(odoo, pg_settings, only=()):
    """Everything, or with ``only`` the Odoo tests of those add-ons (a partial run)."""
    tally = Tally()
    run_static_checks(odoo, tally)
    database = f"omni_test_{os.getpid()}_{int(time.time())}"
    tested = only or OMNI_MODULES
    try:
        run_odoo_tests(
            odoo, pg_settings, database, OMNI_MODULES, [f"/{module}" for module in tested], tally
        )
        if not only:
            run_suite_tests(odoo, pg_settings, database, tally)
    finally:
        drop_database(odoo, pg_settings, database)
    if only:
        print(f"Partial run: Odoo tests of {', '.join(only)} only, no suite-level tests.")
    return finish(tally)


def odoo_suites_command(odoo, pg_settings):
    """Odoo's own test suites of the flows Omni extends, browser tours included,
    installed with every Omni add-on and its demo data: each module's at_install tests
    run as Odoo runs them, when it is installed, its post_install tests once everything
    is."""
    tally = Tally()
    database = f"omni_odoo_suites_{os.getpid()}_{int(time.time())}"
    test_tags = [
        *(f"/{module}" for module in ODOO_SUITES),
        *(f"-{test}" for test in ODOO_SUITES_EXCLUDED),
    ]
    try:
        run_odoo_tests(
            odoo,
            pg_settings,
            database,
            ODOO_SUITES,
            test_tags,
            tally,
            install=(*OMNI_MODULES, *ODOO_SUITES),
        )
    finally:
        drop_database(odoo, pg_settings, database)
    return finish(tally)
