from odoo import api, fields, models

QUOTE_STATES = [
    ("quoted", "Quoted"),
    ("failed", "Failed"),
    ("timeout", "Timed out"),
    ("excluded", "Not asked"),
]


class OmniCarrierQuote(models.Model):
    """A carrier considered when choosing the carrier of an order or a picking: its
    quote, or why it gave none; ``chosen`` marks the carrier picked."""

    _name = "omni.carrier.quote"
    _description = "Carrier Quote"
    _order = "id desc"

    run_ref = fields.Char(
        string="Selection", required=True, index=True, help="Quotes considered together."
    )
    stage = fields.Selection(
        [("order", "Order"), ("packing", "Packing")], required=True, default="order"
    )
    order_id = fields.Many2one("sale.order", index="btree_not_null", ondelete="cascade")
    picking_id = fields.Many2one("stock.picking", index="btree_not_null", ondelete="cascade")
    rule_id = fields.Many2one("omni.carrier.rule", ondelete="set null")
    carrier_id = fields.Many2one("delivery.carrier", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one("res.currency")
    state = fields.Selection(QUOTE_STATES, required=True, default="quoted")
    price = fields.Monetary()
    lead_time_days = fields.Float(string="Lead Time (days)")
    duration_ms = fields.Integer(string="Answered in (ms)")
    chosen = fields.Boolean()
    note = fields.Char()

    @api.model
    def _prepare_quote_vals(self, quote, context):
        """Values of a quote record; ``quote`` is a dict from the selection service and
        ``context`` the run's common values (run_ref, stage, order/picking, rule)."""
        return {
            **context,
            "carrier_id": quote["carrier"].id,
            "state": quote["state"],
            "price": quote.get("price") or 0.0,
            "lead_time_days": quote.get("lead_time_days") or 0.0,
            "duration_ms": quote.get("duration_ms") or 0,
            "chosen": quote.get("chosen", False),
            "note": quote.get("note") or False,
        }
