from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import POLICY_CHEAPEST, POLICY_FASTEST, RuleSpec

SERVICE_LEVELS = [
    ("standard", "Standard"),
    ("express", "Express"),
    ("relay", "Relay point"),
]


class OmniCarrierRule(models.Model):
    """Which carrier ships what: the first rule (by sequence) whose conditions a
    shipment meets gives its carrier, or the carriers to rate-shop among."""

    _name = "omni.carrier.rule"
    _inherit = "omni.rule.mixin"
    _description = "Carrier Selection Rule"

    weight_uom_name = fields.Char(compute="_compute_uom_names")
    length_uom_name = fields.Char(compute="_compute_uom_names")

    # Conditions (empty means any) ---------------------------------------------------
    min_weight = fields.Float(
        string="Minimum Weight", tracking=True, help="Total weight of the shipment."
    )
    max_weight = fields.Float(
        string="Maximum Weight", tracking=True, help="Total weight of the shipment."
    )
    max_length = fields.Float(
        string="Maximum Length",
        help="Longest side of the largest parcel. Parcel sizes are known once packed, "
        "so a rule with this condition only applies at packing.",
    )
    package_type_ids = fields.Many2many(
        "stock.package.type",
        string="Parcel Types",
        help="Every parcel must be of one of these types. Only known once packed.",
    )
    country_group_ids = fields.Many2many(
        "res.country.group",
        string="Zones",
        help="The destination country belongs to one of these country groups.",
    )
    service_level = fields.Selection(
        SERVICE_LEVELS, tracking=True, help="Service the customer asked for."
    )
    min_promised_days = fields.Float(
        string="Promised in at Least (days)",
        help="Days between now and the delivery date promised to the customer.",
    )
    max_promised_days = fields.Float(
        string="Promised Within (days)",
        help="Only orders promised for delivery within this many days.",
    )

    # Action -------------------------------------------------------------------------
    action = fields.Selection(
        [("carrier", "Use a carrier"), ("rate_shopping", "Rate shopping")],
        required=True,
        default="carrier",
        tracking=True,
    )
    carrier_id = fields.Many2one(
        "delivery.carrier", check_company=True, ondelete="restrict", tracking=True
    )
    candidate_carrier_ids = fields.Many2many(
        "delivery.carrier",
        string="Candidate Carriers",
        check_company=True,
        help="Carriers asked for a quote, in parallel.",
    )
    policy = fields.Selection(
        [
            (POLICY_CHEAPEST, "Cheapest within the lead time"),
            (POLICY_FASTEST, "Fastest within the budget"),
        ],
        default=POLICY_CHEAPEST,
        required=True,
        tracking=True,
    )
    max_lead_time_days = fields.Float(
        string="Lead Time Limit (days)",
        help="Cheapest policy: only quotes delivering within this many days. Empty: the "
        "delivery date promised on the order, if any.",
    )
    budget = fields.Monetary(help="Fastest policy: only quotes costing at most this much.")
    note = fields.Text(translate=True)

    def _compute_uom_names(self):
        template = self.env["product.template"]
        self.weight_uom_name = template._get_weight_uom_name_from_ir_config_parameter()
        self.length_uom_name = template._get_length_uom_name_from_ir_config_parameter()

    @api.constrains("action", "carrier_id", "candidate_carrier_ids")
    def _check_action(self):
        for rule in self:
            if rule.action == "carrier" and not rule.carrier_id:
                raise ValidationError(
                    self.env._("Rule %(rule)s uses a carrier: choose which one.", rule=rule.name)
                )
            if rule.action == "rate_shopping" and not rule.candidate_carrier_ids:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s shops for rates: add the candidate carriers.",
                        rule=rule.name,
                    )
                )

    @api.constrains("min_weight", "max_weight")
    def _check_weights(self):
        for rule in self:
            if rule.max_weight and rule.min_weight > rule.max_weight:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the minimum weight is above the maximum weight.",
                        rule=rule.name,
                    )
                )

    def _omni_candidates(self):
        """The carriers this rule may choose, in their sequence."""
        self.ensure_one()
        carriers = self.carrier_id if self.action == "carrier" else self.candidate_carrier_ids
        return carriers.sorted(lambda carrier: (carrier.sequence, carrier.id))

    def _omni_specs(self):
        """The rules as plain data for the engine."""
        return [
            RuleSpec(
                **rule._rule_base_vals(),
                min_weight=rule.min_weight,
                max_weight=rule.max_weight,
                max_length=rule.max_length,
                package_type_ids=frozenset(rule.package_type_ids.ids),
                zone_ids=frozenset(rule.country_group_ids.ids),
                service_levels=frozenset([rule.service_level] if rule.service_level else []),
                min_promised_days=rule.min_promised_days,
                max_promised_days=rule.max_promised_days,
            )
            for rule in self
        ]
