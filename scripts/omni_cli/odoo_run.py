"""Run Odoo for the project: shared arguments, free ports, databases."""

import os
import socket
import subprocess

from .odoo_env import PROJECT_ROOT

CONFIG_FILE = PROJECT_ROOT / "odoo.conf"
DATA_DIR = PROJECT_ROOT / ".omni" / "data"
LOG_DIR = PROJECT_ROOT / ".omni" / "logs"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_args(odoo):
    return [
        "-c",
        str(CONFIG_FILE),
        "--addons-path",
        odoo.addons_path,
        "--data-dir",
        str(DATA_DIR),
    ]


def process_env(odoo, pg_settings, **extra):
    return {
        **os.environ,
        **pg_settings,
        "ODOO_SRC": str(odoo.source),
        "OMNI_ADDONS_PATH": odoo.addons_path,
        "OMNI_DATA_DIR": str(DATA_DIR),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def database_exists(odoo, pg_settings, name):
    script = (
        "import sys, psycopg2\n"
        "with psycopg2.connect(dbname='postgres') as conn, conn.cursor() as cr:\n"
        "    cr.execute('SELECT 1 FROM pg_database WHERE datname = %s', (sys.argv[1],))\n"
        "    print(bool(cr.fetchone()))\n"
    )
    result = subprocess.run(
        [odoo.python, "-c", script, name],
        env=process_env(odoo, pg_settings),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip() == "True"


def module_states(odoo, pg_settings, database, modules):
    script = (
        "import sys, psycopg2\n"
        "with psycopg2.connect(dbname=sys.argv[1]) as conn, conn.cursor() as cr:\n"
        "    cr.execute('SELECT name, state FROM ir_module_module WHERE name = ANY(%s)',"
        " (sys.argv[2:],))\n"
        "    for name, state in cr.fetchall():\n"
        "        print(name, state)\n"
    )
    result = subprocess.run(
        [odoo.python, "-c", script, database, *modules],
        env=process_env(odoo, pg_settings),
        capture_output=True,
        text=True,
        check=False,
    )
    return dict(line.split() for line in result.stdout.splitlines())


def drop_database(odoo, pg_settings, database):
    subprocess.run(
        odoo.command("db", "-c", str(CONFIG_FILE), "--data-dir", str(DATA_DIR), "drop", database),
        env=process_env(odoo, pg_settings),
        capture_output=True,
        check=False,
    )
