"""Omni cost's plain-Python engine (no Odoo import): the cost of each order from its
facts, what to post so that the ledger matches it, and the audit of carrier invoices."""

from . import costing
from . import audit
