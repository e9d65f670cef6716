"""Programs the tests need beside Python: installed when missing, or named."""

import os
import shutil
import subprocess

from .errors import SetupError

# program: (Debian package, what needs it)
REQUIRED_PROGRAMS = {
    "wkhtmltopdf": ("wkhtmltopdf", "PDF reports (pick lists, labels, Odoo's reports)"),
    "chromium": ("chromium", "browser tours, Odoo's and Omni's"),
}


def missing_programs():
    return {
        program: package
        for program, (package, _purpose) in REQUIRED_PROGRAMS.items()
        if not shutil.which(program)
    }


def ensure_system_programs():
    """Install the missing programs with apt-get when running as root on Debian or
    Ubuntu; otherwise stop, saying which packages to install and why."""
    missing = missing_programs()
    if not missing:
        return
    packages = sorted(set(missing.values()))
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"==> Installing {', '.join(packages)} (apt-get)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", *packages],
        ):
            subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
        missing = missing_programs()
        if not missing:
            return
    needs = "; ".join(
        f"{program} for {REQUIRED_PROGRAMS[program][1]}" for program in sorted(missing)
    )
    raise SetupError(
        f"The tests need {needs}. Install them first, e.g. on Debian or Ubuntu:\n"
        f"  apt-get install {' '.join(sorted(set(missing.values())))}"
    )
