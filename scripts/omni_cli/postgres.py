"""Reach the PostgreSQL server Odoo will use, starting a local one when none is set."""

import configparser
import getpass
import glob
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .errors import SetupError
from .odoo_env import PROJECT_ROOT

PG_ENV_KEYS = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")
CONF_KEYS = {
    "db_host": "PGHOST",
    "db_port": "PGPORT",
    "db_user": "PGUSER",
    "db_password": "PGPASSWORD",
}
LOCAL_CLUSTER = PROJECT_ROOT / ".pgdata"
LOCAL_PORT = "54329"


def configured_connection(environ, config_file):
    """PG* settings given explicitly, by the environment first, then odoo.conf."""
    settings = {key: environ[key] for key in PG_ENV_KEYS if environ.get(key)}
    parser = configparser.ConfigParser()
    if Path(config_file).is_file():
        parser.read(config_file)
    for conf_key, env_key in CONF_KEYS.items():
        value = parser.get("options", conf_key, fallback="").strip()
        if value and value != "False" and env_key not in settings:
            settings[env_key] = value
    return settings


def probe(odoo, settings):
    """Error text of a connection attempt to the ``postgres`` database, or ''."""
    script = (
        "import psycopg2\n"
        "try:\n"
        "    psycopg2.connect(dbname='postgres', connect_timeout=5).close()\n"
        "except psycopg2.Error as error:\n"
        "    print(str(error).strip())\n"
    )
    env = {**os.environ, **settings}
    result = subprocess.run(
        [odoo.python, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    return (result.stdout + result.stderr).strip()


def describe(settings):
    if not settings:
        return "the default local socket"
    shown = {key: value for key, value in settings.items() if key != "PGPASSWORD"}
    return " ".join(f"{key}={value}" for key, value in sorted(shown.items()))


def ensure_postgres(odoo, config_file, environ=None):
    """Return PG* settings for a reachable server; start a local one if none is set."""
    environ = os.environ if environ is None else environ
    settings = configured_connection(environ, config_file)
    error = probe(odoo, settings)
    if not error:
        return settings
    if settings:
        raise SetupError(
            f"PostgreSQL is not reachable with {describe(settings)}:\n  {error}\n"
            "Start that server or correct the PG* variables / odoo.conf db_* options."
        )
    if os.geteuid() == 0 and shutil.which("pg_ctlcluster"):
        _start_system_cluster(odoo)
    else:
        settings = _start_project_cluster()
    error = probe(odoo, settings)
    if error:
        raise SetupError(
            f"PostgreSQL could not be started or reached:\n  {error}\n"
            "Install PostgreSQL 13+ or point the PG* variables at a running server."
        )
    return settings


def _start_system_cluster(odoo):
    clusters = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False
    ).stdout.split()
    if len(clusters) < 2:
        raise SetupError(
            "No PostgreSQL cluster exists on this machine. Install PostgreSQL 13+ "
            "(apt-get install postgresql) or set the PG* variables."
        )
    version, name = clusters[0], clusters[1]
    # its messages on standard error: commands print their JSON on standard output
    subprocess.run(["pg_ctlcluster", version, name, "start"], check=False, stdout=sys.stderr)
    if "does not exist" in probe(odoo, {}):
        role = getpass.getuser()
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "createuser", "--superuser", role],
            check=False,
        )


def _start_project_cluster():
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = shutil.which("initdb") or (binaries[-1] if binaries else None)
    if not initdb:
        raise SetupError(
            "PostgreSQL is not running and its server programs were not found. "
            "Install PostgreSQL 13+ or set the PG* variables."
        )
    bindir = Path(initdb).parent
    socket_dir = LOCAL_CLUSTER / "run"
    if not (LOCAL_CLUSTER / "PG_VERSION").exists():
        subprocess.run(
            [
                str(bindir / "initdb"),
                "-D",
                str(LOCAL_CLUSTER),
                "-A",
                "trust",
                "-U",
                getpass.getuser(),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    socket_dir.mkdir(exist_ok=True)
    options = f"-k {socket_dir} -p {LOCAL_PORT} -c listen_addresses=''"
    subprocess.run(
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(LOCAL_CLUSTER),
            "-o",
            options,
            "-l",
            str(LOCAL_CLUSTER / "server.log"),
            "-w",
            "start",
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return {"PGHOST": str(socket_dir), "PGPORT": LOCAL_PORT}
