from odoo import fields, models


class OmniReturnChannel(models.Model):
    """Where return requests come from: the backend, the customer portal, a store
    counter. Return policies may apply to some of them only."""

    _name = "omni.return.channel"
    _description = "Return Request Channel"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = (("code_uniq", "UNIQUE(code)", "A request channel is defined once."),)
