"""Omni's shared plain-Python engine (no Odoo import): how rules are matched."""

from . import rules
