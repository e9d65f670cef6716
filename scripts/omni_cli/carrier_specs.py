"""Where the carriers' published documents (WSDL, OpenAPI, recorded exchanges) are read
from by the conformance tests: ``$OMNI_CARRIER_SPECS``, or ``../shared/carrier-specs``
next to the project checkout. The project carries its own fixtures; these documents stay
outside it."""

import os
from pathlib import Path

from .odoo_env import PROJECT_ROOT


def carrier_specs(carrier):
    root = os.environ.get("OMNI_CARRIER_SPECS") or PROJECT_ROOT.parent / "shared" / "carrier-specs"
    return Path(root) / carrier
