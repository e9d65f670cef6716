"""Import an add-on's plain-Python package (its engine, its connector...) without Odoo."""

import ast
import importlib.util
import sys

from .odoo_env import ADDONS_DIR


def odoo_name(addon, package):
    """The name Odoo imports ``addons/<addon>/<package>`` under."""
    return f"odoo.addons.{addon}.{package.replace('/', '.')}"


def dependencies(addon):
    """The add-ons of ``addons/`` that ``addon`` depends on (its manifest's ``depends``;
    none when only the package is there, as for the pick-route command)."""
    manifest = ADDONS_DIR / addon / "__manifest__.py"
    if not manifest.is_file():
        return []
    depends = ast.literal_eval(manifest.read_text()).get("depends", [])
    return [name for name in depends if (ADDONS_DIR / name).is_dir()]


def load_engine(addon, package="engine"):
    """``addons/<addon>/<package>`` imported as the top-level module ``<addon>_<package>``.

    Engines only use relative imports among themselves, so they load the same way
    inside Odoo (``odoo.addons.<addon>.engine``) and here, where Odoo is not needed.
    A package may also import the same package of an add-on it depends on by its Odoo
    name (a carrier add-on's connector imports ``odoo.addons.omni_tms.connector``): that
    package is loaded first and registered under its Odoo name, unless Odoo itself
    imported it already, so both share one module.
    """
    name = f"{addon}_{package}"
    module = sys.modules.get(name) or sys.modules.get(odoo_name(addon, package))
    if module:
        return module
    for dependency in dependencies(addon):
        if (ADDONS_DIR / dependency / package / "__init__.py").is_file():
            sys.modules.setdefault(odoo_name(dependency, package), load_engine(dependency, package))
    path = ADDONS_DIR / addon / package
    spec = importlib.util.spec_from_file_location(
        name, path / "__init__.py", submodule_search_locations=[str(path)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
