from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import format_amount, format_datetime

from ..engine.routing import EPSILON


class OmniRoutingDecision(models.Model):
    _name = "omni.routing.decision"
    _description = "Order Routing Decision"
    _order = "id desc"
    _rec_names_search = ("order_id",)

    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    rule_id = fields.Many2one("omni.routing.rule", readonly=True, ondelete="set null")
    status = fields.Selection(
        [
            ("complete", "Routed"),
            ("backorder", "Partly backordered"),
            ("held", "Held"),
        ],
        required=True,
        readonly=True,
    )
    reason = fields.Char(
        readonly=True,
        help="Why routing was run again, why the order is held, or what is backordered and why.",
    )
    trace = fields.Json(help="Rules tried and candidates considered, with their scores.")
    trace_html = fields.Html(string="Candidates", compute="_compute_trace_html", sanitize=False)
    duration_ms = fields.Float(string="Time (ms)", digits=(16, 2), readonly=True, aggregator="avg")
    shipments = fields.Integer(readonly=True)
    estimated_cost = fields.Monetary(currency_field="currency_id", readonly=True)
    nearest_first_shipments = fields.Integer(string="Nearest-first Shipments", readonly=True)
    nearest_first_cost = fields.Monetary(
        string="Nearest-first Cost",
        currency_field="currency_id",
        readonly=True,
        help="What shipping the order from the nearest locations first would have cost, "
        "for rules that route at the least estimated cost.",
    )
    allocation_ids = fields.One2many("omni.routing.allocation", "decision_id", readonly=True)

    @api.depends("order_id.name", "create_date")
    def _compute_display_name(self):
        for decision in self:
            decision.display_name = self.env._(
                "%(order)s, %(date)s",
                order=decision.order_id.name,
                date=format_datetime(self.env, decision.create_date, dt_format=False),
            )

    @api.depends("trace")
    def _compute_trace_html(self):
        for decision in self:
            decision.trace_html = decision._render_trace(decision.trace or {})

    def _render_trace(self, trace):
        headers = [
            self.env._("Location"),
            self.env._("Rank"),
            self.env._("Distance (km)"),
            self.env._("In stock"),
            self.env._("Est. cost"),
            self.env._("Load"),
            self.env._("Outcome"),
        ]
        parts = []
        for attempt in trace.get("attempts", []):
            parts.append(
                Markup("<h5>%s</h5><p>%s</p>") % (attempt["rule"], attempt.get("outcome", ""))
            )
            rows = [
                Markup("<tr>%s</tr>")
                % Markup("").join(
                    Markup("<td>%s</td>") % escape(value)
                    for value in (
                        candidate["name"],
                        candidate["rank"] or "",
                        "" if candidate["distance_km"] is None else candidate["distance_km"],
                        f"{candidate['coverage']:.0%}",
                        format_amount(self.env, candidate["estimated_cost"], self.currency_id),
                        f"{candidate['load']:.0%}",
                        candidate["outcome"],
                    )
                )
                for candidate in attempt.get("candidates", [])
            ]
            head = Markup("").join(Markup("<th>%s</th>") % header for header in headers)
            parts.append(
                Markup(
                    '<table class="table table-sm"><thead><tr>%s</tr></thead><tbody>%s</tbody>'
                    "</table>"
                )
                % (head, Markup("").join(rows))
            )
        return Markup("").join(parts)

    # Wording of the routing service's outcomes -------------------------------------

    @api.model
    def _prepare_decision_vals(self, order, outcome, reason):
        nearest_first = outcome.get("nearest_first")
        if outcome["status"] == "complete":
            why = reason
        elif reason and outcome["status"] == "backorder":
            why = f"{reason}: {outcome['reason']}"
        else:
            why = outcome.get("reason")
        return {
            "order_id": order.id,
            "rule_id": outcome["rule"].id if outcome["rule"] else False,
            "status": outcome["status"],
            "reason": why,
            "trace": {"attempts": outcome["attempts"]},
            "duration_ms": outcome.get("duration_ms", 0.0),
            "shipments": outcome.get("shipments", 0),
            "estimated_cost": outcome.get("estimated_cost", 0.0),
            "nearest_first_shipments": nearest_first.shipments if nearest_first else 0,
            "nearest_first_cost": nearest_first.cost if nearest_first else 0.0,
        }

    @api.model
    def _attempt_without_candidates(self, rule):
        return {
            "rule": rule.name,
            "rule_id": rule.id,
            "candidates": [],
            "outcome": self.env._(
                "Rule %(rule)s has no candidate locations left: add warehouses or stores "
                "to its location groups.",
                rule=rule.name,
            ),
        }

    @api.model
    def _attempt_trace(self, rule, decision):
        return {
            "rule": rule.name,
            "rule_id": rule.id,
            "status": decision.status,
            "outcome": self._summary(decision, rule.currency_id),
            "candidates": [
                {
                    "name": trace.name,
                    "rank": trace.rank,
                    "distance_km": None
                    if trace.distance_km is None
                    else round(trace.distance_km, 1),
                    "coverage": trace.coverage,
                    "estimated_cost": round(trace.estimated_cost, 2),
                    "load": trace.load,
                    "outcome": self.env._("Ships")
                    if trace.shipped
                    else self._rejection_text(trace.rejection),
                }
                for trace in decision.candidates
            ],
        }

    @api.model
    def _summary(self, decision, currency):
        if decision.status == "complete":
            return self.env._(
                "Routed in %(shipments)s shipment(s), estimated cost %(cost)s.",
                shipments=decision.shipments,
                cost=format_amount(self.env, decision.estimated_cost, currency),
            )
        return {
            "no_candidate": self.env._("No candidate location."),
            "all_rejected": self.env._("No candidate location can ship this order."),
        }.get(
            decision.reason and decision.reason.code,
            self.env._("The candidate locations cannot ship all of this order."),
        )

    @api.model
    def _backorder_reason(self, decision, lines, candidates, warehouse):
        """What ``decision`` (of the routing engine, from ``candidates`` for ``lines``)
        leaves backordered, why, and where it waits for stock."""
        eligible = {trace.key for trace in decision.candidates if trace.rank is not None}
        available, needed = {}, {}
        for line in lines:
            needed[line.product] = needed.get(line.product, 0.0) + line.quantity
        for candidate in candidates:
            for product, quantity in candidate.stock.items():
                if candidate.key in eligible:
                    available[product] = available.get(product, 0.0) + quantity
        products = self.env["product.product"].browse(needed)
        texts = [
            self._backorder_line_text(
                products.browse(line.product),
                decision.unallocated[line.key],
                available.get(line.product, 0.0),
                needed[line.product],
            )
            for line in lines
            if line.key in decision.unallocated
        ]
        return self.env._(
            "Backordered: %(lines)s. It waits for stock at %(warehouse)s.",
            lines="; ".join(texts),
            warehouse=warehouse.name,
        )

    @api.model
    def _backorder_line_text(self, product, quantity, available, needed):
        values = {
            "quantity": f"{quantity:g}",
            "unit": product.uom_id.name,
            "product": product.display_name,
            "available": f"{available:g}",
        }
        if available <= EPSILON:
            return self.env._(
                "%(quantity)s %(unit)s %(product)s (none in stock where the rule may ship from)",
                **values,
            )
        if available < needed - EPSILON:
            return self.env._(
                "%(quantity)s %(unit)s %(product)s (only %(available)s in stock where the rule "
                "may ship from)",
                **values,
            )
        return self.env._(
            "%(quantity)s %(unit)s %(product)s (in stock, but the rule's limits keep it back: "
            "maximum shipments, minimum split value or lines shipped together)",
            **values,
        )

    @api.model
    def _rejection_text(self, rejection):
        if rejection is None:
            return self.env._("Not needed")
        details = rejection.details
        texts = {
            "no_coordinates": self.env._("No coordinates to measure the distance"),
            "at_capacity": self.env._("Took its daily order capacity"),
            "no_stock": self.env._("None of the products in stock"),
            "not_whole_order": self.env._("Does not hold the whole order"),
            "no_stock_for_rest": self.env._("Nothing left to ship from it"),
        }
        if rejection.code == "too_far":
            return self.env._(
                "%(distance)s km away, beyond %(limit)s km",
                distance=details["distance_km"],
                limit=details["max_distance_km"],
            )
        if rejection.code == "max_shipments":
            return self.env._(
                "Beyond the maximum of %(limit)s shipments", limit=details["max_shipments"]
            )
        if rejection.code == "split_below_min_value":
            return self.env._(
                "Its share (%(value)s) is below the minimum split value %(minimum)s",
                value=details["value"],
                minimum=details["min_value"],
            )
        return texts.get(rejection.code, rejection.code)
