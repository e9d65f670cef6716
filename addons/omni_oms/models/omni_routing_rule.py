from ast import literal_eval

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine import order_rules, routing
from .shared_reads import shared_read

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
    _inherit = "omni.rule.mixin"
    _description = "Order Routing Rule"

    # Which orders, on top of the channels, destination and amount of every Omni rule
    order_domain = fields.Char(
        string="Order Filter",
        default="[]",
        help="Orders this rule applies to, on top of the fields below.",
    )
    customer_type = fields.Selection(
        [("any", "Businesses and consumers"), ("b2b", "Businesses"), ("b2c", "Consumers")],
        default="any",
        required=True,
        tracking=True,
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Orders with at least one product of these categories (or their children).",
    )
    tag_ids = fields.Many2many("crm.tag", string="Order Tags")

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
    def _order_rules(self, company_id):
        """((engine rule, order domain or None), ...) of the company's active rules:
        read once, kept until a rule changes."""
        return tuple(
            (rule._order_rule(), rule._order_domain() or None)
            for rule in self.sudo().search([("company_id", "=", company_id)])
        )

    def _order_rule(self):
        self.ensure_one()
        return order_rules.OrderRule(
            **self._rule_base_vals(),
            customer_type=self.customer_type,
            categ_ids=frozenset(self.categ_ids.ids),
            tag_ids=frozenset(self.tag_ids.ids),
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

    @api.constrains("max_distance_km", "max_shipments")
    def _check_limits(self):
        for rule in self:
            if min(rule.max_distance_km, rule.max_shipments) < 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: distance and shipments cannot be negative.",
                        rule=rule.name,
                    )
                )

    def _order_domain(self):
        self.ensure_one()
        return literal_eval(self.order_domain or "[]")

    @api.model
    def _rules_for_orders(self, orders):
        """{order: the routing rules that apply to it, in sequence}; orders no rule
        applies to are left out."""
        key = ("rules_for_orders", frozenset(orders.ids))
        rules = shared_read(self.env.cr, key, lambda: self._read_rules_for_orders(orders))
        return {order: matching.with_env(self.env) for order, matching in rules.items()}

    @api.model
    def _read_rules_for_orders(self, orders):
        result = {}
        for company in orders.company_id:
            company_orders = orders.filtered(lambda order, c=company: order.company_id == c)
            rules = self._order_rules(company.id)
            in_domain = {
                spec.id: company_orders.filtered_domain(domain) for spec, domain in rules if domain
            }
            specs = [spec for spec, _domain in rules]
            for order, facts in self._order_facts(company_orders).items():
                matching = [
                    spec.id
                    for spec in order_rules.matching_rules(specs, facts)
                    if spec.id not in in_domain or order in in_domain[spec.id]
                ]
                if matching:
                    result[order] = self.browse(matching)
        return result

    @api.model
    def _order_facts(self, orders):
        """{order: what the rules look at}, read for all ``orders`` in one query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT sale.id, sale.team_id, shipping.country_id, shipping.zip,
                       sale.amount_untaxed, sale.currency_id, sale.company_id,
                       sale.date_order, COALESCE(commercial.is_company, FALSE) AS is_company,
                       ARRAY(SELECT tag.tag_id FROM sale_order_tag_rel tag
                              WHERE tag.order_id = sale.id) AS tag_ids,
                       ARRAY(SELECT DISTINCT category.parent_path
                               FROM sale_order_line line
                               JOIN product_product product ON product.id = line.product_id
                               JOIN product_template template
                                 ON template.id = product.product_tmpl_id
                               JOIN product_category category
                                 ON category.id = template.categ_id
                              WHERE line.order_id = sale.id) AS category_paths
                  FROM sale_order sale
                  JOIN res_partner shipping ON shipping.id = sale.partner_shipping_id
                  JOIN res_partner customer ON customer.id = sale.partner_id
             LEFT JOIN res_partner commercial ON commercial.id = customer.commercial_partner_id
                 WHERE sale.id = ANY(%s)
                """,
                orders.ids,
            )
        )
        Currency, Company = self.env["res.currency"], self.env["res.company"]
        facts = {
            row["id"]: order_rules.OrderFacts(
                channel_id=row["team_id"],
                country_id=row["country_id"],
                zip=row["zip"] or "",
                amount=self._company_amount(
                    row["amount_untaxed"],
                    Currency.browse(row["currency_id"]),
                    Company.browse(row["company_id"]),
                    row["date_order"],
                ),
                is_company=row["is_company"],
                categ_ids=frozenset(
                    int(ancestor)
                    for path in row["category_paths"]
                    for ancestor in path.split("/")[:-1]
                ),
                tag_ids=frozenset(row["tag_ids"]),
            )
            for row in self.env.cr.dictfetchall()
        }
        return {order: facts[order.id] for order in orders}

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
