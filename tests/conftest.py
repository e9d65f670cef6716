import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS_DIR.parent
sys.path.insert(0, str(TESTS_DIR))
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

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
