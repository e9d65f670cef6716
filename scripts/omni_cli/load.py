"""The load command: tests/load/load_orders.py with the environment of the project's
Odoo (several Odoo servers on one database, concurrent clients; JSON on standard
output)."""

import subprocess

from .odoo_env import PROJECT_ROOT
from .odoo_run import process_env

LOAD_SCRIPT = PROJECT_ROOT / "tests" / "load" / "load_orders.py"


def load_command(odoo, pg_settings, arguments):
    result = subprocess.run(
        [odoo.python, str(LOAD_SCRIPT), *arguments],
        env=process_env(odoo, pg_settings),
        cwd=PROJECT_ROOT,
        check=False,
    )
    return result.returncode
