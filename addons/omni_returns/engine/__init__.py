"""Omni returns' plain-Python engine (no Odoo import): which return policy applies and
what it says of each line, where a return is received, how graded units move, and what
a refund credits."""

from . import policy
from . import receiving
from . import grading
from . import refund
