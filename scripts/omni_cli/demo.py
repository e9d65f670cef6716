"""The demo command: a database of its own with Omni and its demo data, served on 8069."""

import os
import subprocess

from .errors import SetupError
from .odoo_env import OMNI_MODULES
from .odoo_run import base_args, database_exists, process_env

DEMO_DATABASE = "omni_demo"


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
    command = odoo.command(
        *base_args(odoo), "-d", database, "--db-filter", f"^{database}$", "--http-port", str(port)
    )
    os.execvpe(command[0], command, env)
