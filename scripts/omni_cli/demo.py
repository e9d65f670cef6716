"""The demo command: a database of its own with Omni and its demo data, served on 8069."""

import os
import subprocess

from .errors import SetupError
from .odoo_env import OMNI_MODULES, PROJECT_ROOT
from .odoo_run import base_args, database_exists, process_env

DEMO_DATABASE = "omni_demo"
# The demo's test carriers (omni_tms) call this local fake carrier server.
FAKE_CARRIERS = PROJECT_ROOT / "addons" / "omni_tms" / "tests" / "fake_servers" / "serve.py"
FAKE_CARRIERS_PORT = 8079


def demo_command(odoo, pg_settings, database=DEMO_DATABASE, port=8069):
    env = process_env(odoo, pg_settings)
    if database_exists(odoo, pg_settings, database):
        print(f"==> Updating Omni in the existing database {database}", flush=True)
        setup = ["-u", ",".join(OMNI_MODULES)]
    else:
        print(f"==> Creating {database} with Omni and its demo data", flush=True)
        setup = ["-i", ",".join(OMNI_MODULES)]
    result = subprocess.run(
        odoo.command(
            *base_args(odoo), "-d", database, *setup, "--stop-after-init", "--log-level", "warn"
        ),
        env=env,
        check=False,
    )
    if result.returncode:
        raise SetupError(f"Installing Omni into {database} failed (see the log above).")
    print(
        f"==> Omni is at http://localhost:{port} (database {database}, login admin / "
        "password admin). Stop with Ctrl+C.",
        flush=True,
    )
    subprocess.Popen([odoo.python, str(FAKE_CARRIERS), "--port", str(FAKE_CARRIERS_PORT)], env=env)
    command = odoo.command(
        *base_args(odoo), "-d", database, "--db-filter", f"^{database}$", "--http-port", str(port)
    )
    os.execvpe(command[0], command, env)
