"""Carrier choice for Omni's transport layer, in plain Python.

``rules`` picks the first carrier rule whose conditions a shipment meets;
``rate_shopping`` picks the quote a rule's policy prefers. Both work on plain data
gathered by the Odoo layer, so they run (and are tested) without a database.
"""

from .facts import ShipmentFacts
from .rules import RuleSpec, failed_conditions, select_rule
from .rate_shopping import (
    POLICY_CHEAPEST,
    POLICY_FASTEST,
    Choice,
    Quote,
    choose_quote,
)
