"""Find (or install) the Odoo 18.0 tree the project runs on."""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import SetupError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ADDONS_DIR = PROJECT_ROOT / "addons"
LOCAL_ODOO = PROJECT_ROOT / ".odoo" / "18.0"
LOCAL_VENV = PROJECT_ROOT / ".venv"
CONVENTIONAL_PATHS = (Path("/opt/odoo/18.0"), LOCAL_ODOO)
OFFICIAL_REPOSITORY = "https://github.com/odoo/odoo.git"
OMNI_MODULES = (
    "omni_base",
    "omni_oms",
    "omni_wms",
    "omni_tms",
    "omni_tms_mondialrelay",
    "omni_tms_chronopost",
    "omni_tms_sendcloud",
    "omni_returns",
    "omni_oms_website_sale_collect",
    "omni_cost",
    "omni_kpi",
    "omni_oms_website_sale",
    "omni_kpi_returns",
    "omni_demo",
)

NOT_FOUND_HELP = """\
Odoo 18.0 was not found. Omni looks, in this order, at:
  1. the ODOO_SRC environment variable (a checkout of Odoo 18.0),
  2. an `odoo` 18.0 package importable by {python},
  3. {paths}.
Either point ODOO_SRC at an Odoo 18.0 checkout, or run `make setup` on a machine with
internet access to install the official Odoo 18.0 source into {local}."""


@dataclass(frozen=True)
class OdooInstall:
    """An Odoo 18.0 source tree and the Python interpreter that runs it."""

    source: Path
    python: str
    found_by: str

    @property
    def addons_path(self):
        paths = [ADDONS_DIR, self.source / "odoo" / "addons"]
        if (self.source / "addons").is_dir():
            paths.insert(1, self.source / "addons")
        return ",".join(str(path) for path in paths)

    def command(self, *args):
        """Command line running Odoo's CLI with ``args``."""
        bootstrap = (
            "import sys; sys.path.insert(0, sys.argv.pop(1)); import odoo.cli; odoo.cli.main()"
        )
        return [self.python, "-c", bootstrap, str(self.source), *args]


def default_python():
    venv_python = LOCAL_VENV / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def read_major_version(source):
    """Major version of the Odoo tree at ``source``, or None if it is not one."""
    release = Path(source) / "odoo" / "release.py"
    if not release.is_file():
        return None
    match = re.search(r"^version_info\s*=\s*\((\d+)", release.read_text(), re.MULTILINE)
    return int(match.group(1)) if match else None


def importable_odoo_source(python):
    """Source root of an ``odoo`` package importable by ``python``, if any."""
    probe = "import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))"
    try:
        result = subprocess.run(
            [python, "-c", probe], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode:
        return None
    return Path(result.stdout.strip())


def find_odoo(environ=None, python=None, conventional_paths=CONVENTIONAL_PATHS):
    """Return the OdooInstall to use, or raise SetupError saying what to do."""
    environ = os.environ if environ is None else environ
    python = python or default_python()
    explicit = environ.get("ODOO_SRC")
    if explicit:
        if read_major_version(explicit) != 18:
            raise SetupError(
                f"ODOO_SRC={explicit} is not an Odoo 18.0 source tree "
                "(no odoo/release.py with version 18). Fix or unset ODOO_SRC."
            )
        return OdooInstall(Path(explicit).resolve(), python, "ODOO_SRC")
    source = importable_odoo_source(python)
    if source and read_major_version(source) == 18:
        return OdooInstall(source, python, f"importable by {python}")
    for path in conventional_paths:
        if read_major_version(path) == 18:
            return OdooInstall(Path(path), python, str(path))
    raise SetupError(
        NOT_FOUND_HELP.format(
            python=python,
            paths=", then ".join(str(path) for path in conventional_paths),
            local=LOCAL_ODOO,
        )
    )


def check_python_requirements(odoo):
    """Fail clearly when Odoo or Omni cannot be imported by the chosen Python."""
    probe = "import odoo.release, psycopg2, lxml, werkzeug, zeep, requests, websocket"
    result = subprocess.run(
        [odoo.python, "-c", f"import sys; sys.path.insert(0, {str(odoo.source)!r}); {probe}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        missing = result.stderr.strip().splitlines()[-1] if result.stderr else ""
        raise SetupError(
            f"Odoo 18.0 found at {odoo.source} ({odoo.found_by}), but {odoo.python} "
            f"cannot import what it needs ({missing}).\nInstall the requirements:\n"
            f"  {odoo.python} -m pip install -r {odoo.source}/requirements.txt "
            f"-r {PROJECT_ROOT}/requirements.txt -r {PROJECT_ROOT}/requirements-test.txt"
        )


def install_official_odoo():
    """Clone the official Odoo 18.0 into .odoo/18.0 and install it into .venv."""
    if not shutil.which("git"):
        raise SetupError("git is needed to download Odoo 18.0; install git first.")
    if read_major_version(LOCAL_ODOO) != 18:
        LOCAL_ODOO.parent.mkdir(parents=True, exist_ok=True)
        clone = subprocess.run(
            [
                "git",
                "clone",
                "--depth",
                "1",
                "--branch",
                "18.0",
                OFFICIAL_REPOSITORY,
                str(LOCAL_ODOO),
            ],
            check=False,
        )
        if clone.returncode:
            raise SetupError(
                f"Could not download Odoo 18.0 from {OFFICIAL_REPOSITORY}. Without "
                "internet access, set ODOO_SRC to an Odoo 18.0 checkout instead."
            )
    if not (LOCAL_VENV / "bin" / "python").exists():
        subprocess.run(
            [sys.executable, "-m", "venv", "--system-site-packages", str(LOCAL_VENV)],
            check=True,
        )
    pip = [str(LOCAL_VENV / "bin" / "python"), "-m", "pip", "install"]
    steps = (
        [*pip, "setuptools<70", "wheel"],
        [
            *pip,
            "-r",
            str(LOCAL_ODOO / "requirements.txt"),
            "-r",
            str(PROJECT_ROOT / "requirements.txt"),
            "-r",
            str(PROJECT_ROOT / "requirements-test.txt"),
        ],
    )
    for step in steps:
        if subprocess.run(step, check=False).returncode:
            raise SetupError(
                "Installing Odoo's Python requirements failed (see above). On Debian or "
                "Ubuntu, python-ldap and psycopg2 need: apt-get install libldap2-dev "
                "libsasl2-dev libpq-dev"
            )
    return OdooInstall(LOCAL_ODOO, str(LOCAL_VENV / "bin" / "python"), str(LOCAL_ODOO))


def find_or_install_odoo():
    try:
        return find_odoo()
    except SetupError as not_found:
        print(f"{not_found}\n\nTrying to install the official Odoo 18.0 ...", flush=True)
        try:
            return install_official_odoo()
        except SetupError as failure:
            raise SetupError(f"{not_found}\n\n{failure}") from failure
