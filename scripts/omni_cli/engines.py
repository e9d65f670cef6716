"""Import an add-on's plain-Python engine package without Odoo."""

import importlib.util
import sys

from .odoo_env import ADDONS_DIR


def load_engine(addon, package="engine"):
    """``addons/<addon>/<package>`` imported as the top-level module ``<addon>_<package>``.

    Engines only use relative imports among themselves, so they load the same way
    inside Odoo (``odoo.addons.<addon>.engine``) and here, where Odoo is not needed.
    """
    name = f"{addon}_{package}"
    if name in sys.modules:
        return sys.modules[name]
    path = ADDONS_DIR / addon / package
    spec = importlib.util.spec_from_file_location(
        name, path / "__init__.py", submodule_search_locations=[str(path)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
