from odoo import fields, models


class OmniTestRule(models.Model):
    """A rule of the shared rule base with one condition of its own, for the tests."""

    _name = "omni.test.rule"
    _inherit = "omni.rule.mixin"
    _description = "Test rule"

    weekday = fields.Integer()
