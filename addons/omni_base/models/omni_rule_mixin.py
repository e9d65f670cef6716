from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import rules as rule_engine


class OmniRuleMixin(models.AbstractModel):
    """What Omni's rules (routing rules, carrier rules) have in common: a sequence, a
    company, and the channel, destination and amount of what they apply to, matched
    by ``engine.rules``. Each rule model adds its own conditions and decision. Changes
    are tracked in the rule's chatter: who changed which rule, and when."""

    _name = "omni.rule.mixin"
    _inherit = ("mail.thread",)
    _description = "Omni Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_ids = fields.Many2many(
        "crm.team",
        string="Channels",
        tracking=True,
        help="Sales channels (sales teams) of the order.",
    )
    country_ids = fields.Many2many("res.country", string="Destination Countries", tracking=True)
    zip_prefixes = fields.Char(
        string="Destination Zip Prefixes",
        tracking=True,
        help="Comma-separated beginnings of the destination zip code, e.g. 75, 92, 1000; "
        "end one with $ to match the whole zip.",
    )
    amount_min = fields.Monetary(
        string="Minimum Amount",
        currency_field="currency_id",
        tracking=True,
        help="Untaxed amount of the order, in the company's currency.",
    )
    amount_max = fields.Monetary(
        string="Maximum Amount",
        currency_field="currency_id",
        tracking=True,
        help="0 means no maximum.",
    )

    @api.constrains("amount_min", "amount_max")
    def _check_amounts(self):
        for rule in self:
            if rule.amount_min < 0 or rule.amount_max < 0:
                raise ValidationError(
                    self.env._("Rule %(rule)s: amounts cannot be negative.", rule=rule.name)
                )
            if rule.amount_max and rule.amount_min > rule.amount_max:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the minimum amount is above the maximum amount.",
                        rule=rule.name,
                    )
                )

    def _rule_base_vals(self):
        """The shared conditions of this rule, as the engine reads them."""
        self.ensure_one()
        return {
            "id": self.id,
            "sequence": self.sequence,
            "channel_ids": frozenset(self.team_ids.ids),
            "country_ids": frozenset(self.country_ids.ids),
            "zip_prefixes": rule_engine.parse_zip_prefixes(self.zip_prefixes),
            "amount_min": self.amount_min,
            "amount_max": self.amount_max,
        }

    @api.model
    def _company_amount(self, amount, currency, company, date=None):
        """``amount`` in ``currency`` as the rules compare it: in ``company``'s currency."""
        if not currency or currency == company.currency_id:
            return amount
        return currency._convert(
            amount, company.currency_id, company, date or fields.Date.context_today(self)
        )
