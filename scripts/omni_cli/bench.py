"""The bench command: each tests/bench script against a fresh database."""

import os
import subprocess
import time

from .errors import SetupError
from .odoo_env import OMNI_MODULES, PROJECT_ROOT
from .odoo_run import base_args, drop_database, process_env

BENCH_DIR = PROJECT_ROOT / "tests" / "bench"


def bench_command(odoo, pg_settings, names):
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if names:
        scripts = [script for script in scripts if script.stem in names or script.name in names]
    if not scripts:
        raise SetupError(f"No benchmark matches {names or 'bench_*.py'} in {BENCH_DIR}.")
    database = f"omni_bench_{os.getpid()}_{int(time.time())}"
    env = process_env(odoo, pg_settings, OMNI_TEST_DB=database)
    try:
        print(f"==> Installing Omni into {database}", flush=True)
        install = subprocess.run(
            odoo.command(
                *base_args(odoo),
                "-d",
                database,
                "-i",
                ",".join(OMNI_MODULES),
                "--without-demo",
                "all",
                "--stop-after-init",
                "--log-level",
                "warn",
            ),
            env=env,
            check=False,
        )
        if install.returncode:
            raise SetupError(f"Installing Omni into {database} failed (see above).")
        failed = run_benchmarks(odoo.python, scripts, env)
    finally:
        drop_database(odoo, pg_settings, database)
    for script in failed:
        print(f"FAILED: {script.name} (a correctness check failed or it stopped, see above)")
    return 1 if failed else 0


def run_benchmarks(python, scripts, env):
    """Run each benchmark script; the scripts that exited with an error status, as
    they do when one of their correctness checks fails."""
    failed = []
    for script in scripts:
        print(f"==> {script.name}", flush=True)
        result = subprocess.run([python, str(script)], env=env, cwd=PROJECT_ROOT, check=False)
        if result.returncode:
            failed.append(script)
    return failed
