from markupsafe import Markup, escape

from odoo import api, fields, models


class OmniRoutingDecision(models.Model):
    _name = "omni.routing.decision"
    _description = "Order Routing Decision"
    _order = "id desc"

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    rule_id = fields.Many2one("omni.routing.rule", ondelete="set null")
    status = fields.Selection(
        [
            ("complete", "Routed"),
            ("backorder", "Partly backordered"),
            ("held", "Held"),
        ],
        required=True,
    )
    reason = fields.Char(help="Why routing was run again, or why the order is held.")
    trace = fields.Json(help="Rules tried and candidates considered, with their scores.")
    trace_html = fields.Html(string="Candidates", compute="_compute_trace_html", sanitize=False)
    duration_ms = fields.Float(string="Time (ms)", digits=(16, 2))
    shipments = fields.Integer()
    estimated_cost = fields.Float(digits="Product Price")
    nearest_first_shipments = fields.Integer(string="Nearest-first Shipments")
    nearest_first_cost = fields.Float(string="Nearest-first Cost", digits="Product Price")
    allocation_ids = fields.One2many("omni.routing.allocation", "decision_id")

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
                        candidate["estimated_cost"],
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
