from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

FINDINGS = [
    ("ok", "As Quoted"),
    ("unknown", "Unknown Tracking Number"),
    ("not_shipped", "Shipment Never Made"),
    ("duplicate", "Billed Twice"),
    ("overweight", "Weight Above Declared"),
    ("surcharge", "Surcharge"),
    ("overpriced", "Price Above Quote"),
]


class OmniCarrierInvoice(models.Model):
    """A carrier's invoice, imported from its file and audited line by line against
    the shipments it bills. Confirmed, its amounts become the actual carrier cost of
    the orders shipped."""

    _name = "omni.carrier.invoice"
    _description = "Carrier Invoice Audit"
    _order = "date desc, id desc"

    name = fields.Char(string="Invoice Reference", required=True, readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date = fields.Date(string="Invoice Date", required=True, readonly=True)
    file_name = fields.Char(readonly=True)
    move_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True)
    invoice_format = fields.Selection(
        related="carrier_id.omni_invoice_format", string="File Format"
    )
    state = fields.Selection(
        [("draft", "To Check"), ("done", "Confirmed"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
    )
    line_ids = fields.One2many("omni.carrier.invoice.line", "invoice_id", string="Lines")
    line_count = fields.Integer(compute="_compute_totals", string="Lines Billed")
    flagged_count = fields.Integer(compute="_compute_totals", string="Lines Flagged")
    amount_billed = fields.Monetary(compute="_compute_totals", string="Billed")
    amount_expected = fields.Monetary(compute="_compute_totals", string="Quoted")
    amount_at_stake = fields.Monetary(compute="_compute_totals", string="At Stake")

    @api.depends("line_ids.amount_total", "line_ids.at_stake", "line_ids.status")
    def _compute_totals(self):
        Line = self.env["omni.carrier.invoice.line"]
        groups = {
            invoice.id: (count, billed, expected, stake)
            for invoice, count, billed, expected, stake in Line._read_group(
                [("invoice_id", "in", self.ids)],
                ["invoice_id"],
                ["__count", "amount_total:sum", "expected_amount:sum", "at_stake:sum"],
            )
        }
        flagged_counts = dict(
            Line._read_group(
                [("invoice_id", "in", self.ids), ("is_flagged", "=", True)],
                ["invoice_id"],
                ["__count"],
            )
        )
        for invoice in self:
            count, billed, expected, stake = groups.get(invoice.id, (0, 0, 0, 0))
            flagged = flagged_counts.get(invoice, 0)
            invoice.line_count = count
            invoice.flagged_count = flagged
            invoice.amount_billed = billed
            invoice.amount_expected = expected
            invoice.amount_at_stake = stake

    def _affected_order_ids(self):
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT COALESCE(p.sale_id, r.sale_order_id)
                  FROM omni_carrier_invoice_line l
                  JOIN omni_shipment s ON s.id = l.shipment_id
                  JOIN stock_picking p ON p.id = s.picking_id
                  LEFT JOIN omni_return r ON r.id = p.omni_return_id
                 WHERE l.invoice_id = ANY(%s)
                """,
                self.ids,
            )
        )
        return [row[0] for row in self.env.cr.fetchall() if row[0]]

    def action_confirm(self):
        """The billed amounts become the actual carrier cost of the orders shipped."""
        for invoice in self:
            if invoice.state != "draft":
                raise UserError(
                    self.env._(
                        "Only invoices to check can be confirmed (%(name)s).", name=invoice.name
                    )
                )
        self.check_access("write")
        self.state = "done"
        self._recost_orders()
        return True

    def _recost_orders(self):
        """Cost again the orders these invoices bill: whoever may confirm a carrier
        invoice makes its amounts actual, without the right to cost orders by hand."""
        self.env["omni.cost.service"].sudo()._cost_orders(self._affected_order_ids())

    def action_cancel(self):
        """Back to quoted prices for the orders this invoice made actual."""
        self.check_access("write")
        was_done = self.filtered(lambda invoice: invoice.state == "done")
        self.state = "cancel"
        if was_done:
            was_done._recost_orders()
        return True

    def action_open_flagged(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_cost.omni_carrier_invoice_line_action"
        )
        action["domain"] = [("invoice_id", "=", self.id), ("is_flagged", "=", True)]
        return action


class OmniCarrierInvoiceLine(models.Model):
    _name = "omni.carrier.invoice.line"
    _description = "Carrier Invoice Line"
    _order = "invoice_id, sequence, id"

    invoice_id = fields.Many2one(
        "omni.carrier.invoice", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    carrier_id = fields.Many2one(related="invoice_id.carrier_id", store=True)
    sequence = fields.Integer(string="File Line", readonly=True)
    tracking_number = fields.Char(required=True, readonly=True, index=True)
    ship_date = fields.Date(readonly=True)
    shipment_id = fields.Many2one("omni.shipment", readonly=True, index="btree_not_null")
    order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null")
    billed_weight = fields.Float(string="Billed Weight (kg)", readonly=True)
    declared_weight = fields.Float(string="Declared Weight (kg)", readonly=True)
    amount = fields.Monetary(string="Transport", readonly=True)
    surcharge = fields.Monetary(readonly=True)
    amount_total = fields.Monetary(string="Billed", readonly=True)
    expected_amount = fields.Monetary(string="Quoted", readonly=True)
    at_stake = fields.Monetary(readonly=True)
    status = fields.Selection(FINDINGS, string="Finding", readonly=True, index=True)
    flags = fields.Char(string="Findings", readonly=True)
    is_flagged = fields.Boolean(string="Flagged", readonly=True, index=True)
    counts_as_actual = fields.Boolean(
        readonly=True, help="Its amount is the shipment's actual cost once confirmed."
    )
