import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_session


@pytest.fixture(scope="session")
def registry():
    return odoo_session.registry()


@pytest.fixture
def env(registry):
    """A superuser environment whose changes are rolled back after the test."""
    with registry.cursor() as cursor:
        yield odoo_session.environment(cursor)
        cursor.rollback()
