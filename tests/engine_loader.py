"""The add-ons' plain-Python engines without Odoo, loaded as the command-line tools
load them (``scripts/omni_cli/engines.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from omni_cli.engines import load_engine  # noqa: F401 - the tests' entry point
from omni_cli.odoo_env import ADDONS_DIR  # noqa: F401
