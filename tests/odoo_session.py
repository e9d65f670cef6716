"""Open the Odoo database the test command (or the bench command) prepared."""

import functools
import os
import sys

DB_VARIABLE = "OMNI_TEST_DB"


def database_name():
    name = os.environ.get(DB_VARIABLE)
    if not name:
        raise RuntimeError(
            f"{DB_VARIABLE} is not set: run these through `make test` or `make bench`, "
            "which create the database with the Omni modules installed."
        )
    return name


@functools.cache
def registry():
    """The Odoo registry of the prepared database, Odoo configured like the commands do."""
    source = os.environ.get("ODOO_SRC")
    if source and source not in sys.path:
        sys.path.insert(0, source)
    import odoo
    from odoo.modules.registry import Registry

    name = database_name()
    odoo.tools.config.parse_config(
        [
            "--addons-path",
            os.environ["OMNI_ADDONS_PATH"],
            "--data-dir",
            os.environ["OMNI_DATA_DIR"],
            "-d",
            name,
            "--log-level",
            "warn",
        ]
    )
    return Registry(name)


def environment(cursor, user_id=None, context=None):
    from odoo import SUPERUSER_ID, api

    return api.Environment(cursor, user_id or SUPERUSER_ID, context or {})
