from odoo import fields, models


class OmniReturnReason(models.Model):
    """Why a customer returns an item. Defective reasons (the company's fault) travel
    back for free and bear no restocking fee; some reasons need a manager's approval."""

    _name = "omni.return.reason"
    _description = "Return Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to offer the reason to every company."
    )
    is_defective = fields.Boolean(
        string="Defective",
        help="The company's fault (defective, damaged, wrong item sent): the return label "
        "is free and no restocking fee is charged, whatever the policy.",
    )
    needs_approval = fields.Boolean(
        help="Returns for this reason wait for a logistics manager's approval under every "
        "policy; a policy can ask approval for other reasons too.",
    )
    description = fields.Text(translate=True, help="What the customer is told about it.")
