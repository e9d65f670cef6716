"""Shared by every pytest test of the project (tests/ and the add-ons' engine tests)."""

import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent
ADDONS_DIR = PROJECT_ROOT / "addons"

# The command-line package, which loads engines without Odoo.
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))


def pytest_collect_directory(path, parent):
    """Add-ons are Python packages that import Odoo: their engine tests are collected
    as plain files, without importing the add-on."""
    if path == ADDONS_DIR or ADDONS_DIR in path.parents:
        return pytest.Dir.from_parent(parent, path=path)
    return None
