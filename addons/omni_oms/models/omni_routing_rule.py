from ast import literal_eval

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..engine import routing

SORT_KEYS = [
    ("distance", "Nearest first"),
    ("coverage", "Most of the order in stock first"),
    ("priority", "Routing priority"),
    ("cost", "Cheapest estimated shipment first"),
    ("load", "Least loaded first"),
]
# Each key sorts in the direction its label says.
DESCENDING_KEYS = {"coverage"}


class OmniRoutingRule(models.Model):
    _name = "omni.routing.rule"
    _description = "Order Routing Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    # Which orders
    order_domain = fields.Char(
        string="Order Filter",
        default="[]",
        help="Orders this rule applies to, on top of the fields below.",
    )
    team_ids = fields.Many2many("crm.team", string="Channels")
    country_ids = fields.Many2many("res.country", string="Delivery Countries")
    zip_prefixes = fields.Char(
        string="Delivery Zip Prefixes",
        help="Comma-separated beginnings of the delivery zip code, e.g. 75, 92, 1000.",
    )
    customer_type = fields.Selection(
        [("any", "Businesses and consumers"), ("b2b", "Businesses"), ("b2c", "Consumers")],
        default="any",
        required=True,
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Orders with at least one product of these categories (or their children).",
    )
    tag_ids = fields.Many2many("crm.tag", string="Order Tags")
    amount_min = fields.Monetary(string="Minimum Total", currency_field="currency_id")
    amount_max = fields.Monetary(
        string="Maximum Total", currency_field="currency_id", help="0 means no maximum."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    # Where from
    location_group_ids = fields.Many2many(
        "omni.location.group", string="Candidate Locations", check_company=True
    )
    max_distance_km = fields.Float(
        string="Maximum Distance (km)", help="0 means no maximum distance."
    )
    respect_buffers = fields.Boolean(
        string="Respect Stock Pool Buffers",
        default=True,
        help="Count only what the order's channel may sell in each location.",
    )
    respect_capacity = fields.Boolean(
        string="Respect Daily Capacity",
        default=True,
        help="Skip locations that already took their daily order capacity.",
    )
    whole_order_only = fields.Boolean(
        string="Only Locations Holding the Whole Order",
        help="Ship the order from one location that has all of it.",
    )
    min_split_value = fields.Monetary(
        string="Minimum Value of a Split Shipment",
        currency_field="currency_id",
        help="A shipment worth less than this is not split off the order.",
    )
    max_shipments = fields.Integer(
        string="Maximum Shipments", help="0 means as many shipments as needed."
    )

    # In which order
    sort_key_1 = fields.Selection(SORT_KEYS, string="Sort By", default="distance", required=True)
    sort_key_2 = fields.Selection(SORT_KEYS, string="Then By")
    sort_key_3 = fields.Selection(SORT_KEYS, string="And Then By")
    mode = fields.Selection(
        [
            ("sequence", "Fill from the first candidate on"),
            ("cost", "Least estimated shipping cost"),
        ],
        default="sequence",
        required=True,
        help="Least estimated shipping cost compares feasible splits of the order and "
        "adds the penalty below for each extra shipment.",
    )
    split_penalty = fields.Monetary(
        string="Penalty per Extra Shipment", currency_field="currency_id"
    )
    failure_action = fields.Selection(
        [
            ("next", "Try the next rule"),
            ("hold", "Hold the order"),
            ("backorder", "Ship what is found, backorder the rest"),
        ],
        string="When It Cannot Route All",
        default="next",
        required=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    @tools.ormcache("company_id")
    def _order_filters(self, company_id):
        """((rule id, order domain, zip prefixes), ...) of the company's active rules in
        sequence: read once, kept until a rule changes."""
        rules = self.sudo().search([("company_id", "=", company_id)])
        return tuple(
            (
                rule.id,
                rule._order_domain(),
                tuple(p.strip() for p in (rule.zip_prefixes or "").split(",") if p.strip()),
            )
            for rule in rules
        )

    @api.constrains("order_domain")
    def _check_order_domain(self):
        for rule in self:
            try:
                self.env["sale.order"].search_count(rule._order_domain(), limit=1)
            except (ValueError, SyntaxError, KeyError) as error:
                raise ValidationError(
                    self.env._(
                        "The order filter of rule %(rule)s is not a valid domain: %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    @api.constrains("amount_min", "amount_max", "max_distance_km", "max_shipments")
    def _check_limits(self):
        for rule in self:
            if min(rule.amount_min, rule.amount_max, rule.max_distance_km, rule.max_shipments) < 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: amounts, distance and shipments cannot be negative.",
                        rule=rule.name,
                    )
                )
            if rule.amount_max and rule.amount_min > rule.amount_max:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the minimum total is above the maximum total.",
                        rule=rule.name,
                    )
                )

    def _order_domain(self):
        self.ensure_one()
        domain = literal_eval(self.order_domain or "[]")
        conditions = [domain]
        if self.team_ids:
            conditions.append([("team_id", "in", self.team_ids.ids)])
        if self.country_ids:
            conditions.append([("partner_shipping_id.country_id", "in", self.country_ids.ids)])
        if self.customer_type != "any":
            is_company = self.customer_type == "b2b"
            conditions.append([("partner_id.commercial_partner_id.is_company", "=", is_company)])
        if self.categ_ids:
            conditions.append([("order_line.product_id.categ_id", "child_of", self.categ_ids.ids)])
        if self.tag_ids:
            conditions.append([("tag_ids", "in", self.tag_ids.ids)])
        if self.amount_min:
            conditions.append([("amount_total", ">=", self.amount_min)])
        if self.amount_max:
            conditions.append([("amount_total", "<=", self.amount_max)])
        return expression.AND(conditions)

    @api.model
    def _rules_for_orders(self, orders):
        """{order: the routing rules that apply to it, in sequence}; orders no rule
        applies to are left out."""
        result = {}
        for company in orders.company_id:
            company_orders = orders.filtered(lambda order, c=company: order.company_id == c)
            for rule_id, domain, prefixes in self._order_filters(company.id):
                matching = company_orders.filtered_domain(domain)
                if prefixes:
                    matching = matching.filtered(
                        lambda order, p=prefixes: (
                            (order.partner_shipping_id.zip or "").replace(" ", "").startswith(p)
                        )
                    )
                for order in matching:
                    result[order] = result.get(order, self.browse()) | self.browse(rule_id)
        return result

    def _candidate_warehouses(self):
        """The warehouses and stores of the rules' active location groups (of the
        rules' companies, as the groups are); stores only when they ship orders."""
        return self.location_group_ids.filtered("active").warehouse_ids.filtered(
            lambda warehouse: not warehouse.omni_is_store or warehouse.omni_ship_from_store
        )

    def _engine_policy(self):
        self.ensure_one()
        keys = [key for key in (self.sort_key_1, self.sort_key_2, self.sort_key_3) if key]
        return routing.Policy(
            sort_keys=tuple(dict.fromkeys((key, key in DESCENDING_KEYS) for key in keys)),
            mode=self.mode,
            max_distance_km=self.max_distance_km or None,
            whole_order_only=self.whole_order_only,
            respect_capacity=self.respect_capacity,
            min_split_value=self.min_split_value,
            max_shipments=self.max_shipments or None,
            split_penalty=self.split_penalty,
        )
