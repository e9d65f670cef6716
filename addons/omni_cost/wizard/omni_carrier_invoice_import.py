import base64
import re
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import audit, costing
from ..models.delivery_carrier import INVOICE_FORMATS

MAX_LISTED = 20
# A word that may be a tracking number: 6 letters or digits or more, a digit among them
TRACKING_WORD = re.compile(r"\b(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{6,}\b")


class OmniCarrierInvoiceImport(models.TransientModel):
    """Import a carrier's invoice file: every line checked first, nothing imported
    when one is wrong; then each line matched to its shipment by tracking number (one
    query) and audited."""

    _name = "omni.carrier.invoice.import"
    _description = "Import a Carrier Invoice"

    carrier_id = fields.Many2one("delivery.carrier", required=True)
    invoice_format = fields.Selection(
        INVOICE_FORMATS,
        string="File Format",
        compute="_compute_invoice_format",
        store=True,
        readonly=False,
        help="The carrier's format, unless this file is in another one.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    name = fields.Char(string="Invoice Reference", required=True)
    date = fields.Date(string="Invoice Date", required=True, default=fields.Date.context_today)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    data_file = fields.Binary(string="Invoice File")
    move_id = fields.Many2one(
        "account.move",
        string="Vendor Bill",
        domain="[('move_type', '=', 'in_invoice'), ('company_id', '=', company_id)]",
        help="Audit the lines of this vendor bill (their labels name the tracking "
        "numbers) instead of a file.",
    )
    file_name = fields.Char()
    keep_unknown = fields.Boolean(
        string="Import Unknown Tracking Numbers",
        help="Import lines whose tracking number is none of our shipments, flagged with "
        "their whole amount at stake, instead of refusing the file.",
    )

    @api.depends("carrier_id")
    def _compute_invoice_format(self):
        for wizard in self:
            wizard.invoice_format = wizard.carrier_id.omni_invoice_format or "omni"

    # Reading ------------------------------------------------------------------------

    def _content(self):
        raw = base64.b64decode(self.data_file or b"")
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise UserError(self.env._("The file is not a text (CSV) file."))

    def _error_text(self, error):
        texts = {
            audit.EMPTY_FILE: self.env._("the file has no line"),
            audit.WRONG_HEADER: self.env._(
                "columns missing for the %(format)s format: %(value)s",
                format=self.invoice_format,
                value=error.value,
            ),
            audit.WRONG_COLUMNS: self.env._("too few columns: %(value)s", value=error.value),
            audit.NO_TRACKING: self.env._("no tracking number"),
            audit.NOT_A_NUMBER: self.env._("%(value)s is not a number", value=error.value),
            audit.NEGATIVE: self.env._("negative amount or weight %(value)s", value=error.value),
            audit.BAD_DATE: self.env._("%(value)s is not a date", value=error.value),
        }
        return self.env._("Line %(line)s: %(text)s", line=error.line, text=texts[error.code])

    def _raise_lines(self, intro, texts):
        shown = texts[:MAX_LISTED]
        if len(texts) > MAX_LISTED:
            shown.append(self.env._("... and %(count)s more.", count=len(texts) - MAX_LISTED))
        raise UserError("\n".join([intro, *shown]))

    def _bill_lines(self):
        """The vendor bill's product lines as invoice lines: the tracking number is the
        word of the label that is one of our shipments' (else the first word that may
        be one)."""
        bill_lines = self.move_id.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        words = {line.id: TRACKING_WORD.findall(line.name or "") for line in bill_lines}
        known = set(self._shipments({word for found in words.values() for word in found}))
        lines, negative = [], []
        for number, line in enumerate(bill_lines, start=1):
            if line.price_subtotal < 0:
                negative.append(
                    self.env._(
                        "Line %(line)s: negative amount %(value)s",
                        line=number,
                        value=line.price_subtotal,
                    )
                )
                continue
            found = words[line.id]
            tracking = next((word for word in found if word in known), None)
            lines.append(
                audit.InvoiceLine(
                    number,
                    tracking or (found[0] if found else line.name or "?"),
                    None,
                    0.0,
                    line.price_subtotal,
                    0.0,
                    None,
                )
            )
        if negative:
            self._raise_lines(
                self.env._(
                    "Nothing was imported: fix these lines of %(file)s and import it again.",
                    file=self.move_id.display_name,
                ),
                negative,
            )
        return lines

    def _parse(self):
        if self.move_id and not self.data_file:
            return self._bill_lines()
        if not self.data_file:
            raise UserError(self.env._("Choose the invoice file, or a vendor bill, to audit."))
        try:
            lines = audit.parse(self._content(), self.invoice_format or "omni")
        except audit.AuditError as error:
            self._raise_lines(
                self.env._(
                    "Nothing was imported: fix these lines of %(file)s and import it again.",
                    file=self.file_name or self.name,
                ),
                [self._error_text(line) for line in error.errors],
            )
        code = self.currency_id.name
        wrong = [line for line in lines if line.currency and line.currency != code]
        if wrong:
            self._raise_lines(
                self.env._("Nothing was imported: the invoice is in %(currency)s.", currency=code),
                [
                    self.env._(
                        "Line %(line)s: amount in %(currency)s",
                        line=line.line,
                        currency=line.currency,
                    )
                    for line in wrong
                ],
            )
        return lines

    # Matching -----------------------------------------------------------------------

    def _shipments(self, trackings):
        """{tracking number: row} of this company's shipments by the carrier, with the
        weight declared and whether a confirmed invoice billed them already."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (s.tracking_number)
                       s.tracking_number, s.id, s.state, s.price, s.currency_id,
                       s.create_date::date AS day,
                       COALESCE(p.weight, 0) AS weight,
                       COALESCE(p.sale_id, r.sale_order_id) AS order_id,
                       EXISTS (SELECT 1 FROM omni_carrier_invoice_line l
                                 JOIN omni_carrier_invoice i ON i.id = l.invoice_id
                                WHERE l.shipment_id = s.id AND i.state = 'done'
                                  AND l.counts_as_actual) AS billed_before
                  FROM omni_shipment s
                  JOIN stock_picking p ON p.id = s.picking_id
                  LEFT JOIN omni_return r ON r.id = p.omni_return_id
                 WHERE s.tracking_number = ANY(%(trackings)s)
                   AND s.company_id = %(company)s AND s.carrier_id = %(carrier)s
                 ORDER BY s.tracking_number, (s.state = 'done') DESC, s.id DESC
                """,
                trackings=list(trackings),
                company=self.company_id.id,
                carrier=self.carrier_id.id,
            )
        )
        return {row["tracking_number"]: row for row in self.env.cr.dictfetchall()}

    def _facts(self, rows):
        """ShipmentFact per tracking number, the quote in the invoice's currency."""
        company = self.company_id
        currency_ids = {row["currency_id"] for row in rows.values() if row["currency_id"]}
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (currency_id, name) currency_id, name, rate
                  FROM res_currency_rate
                 WHERE currency_id = ANY(%(ids)s)
                   AND (company_id = %(company)s OR company_id IS NULL)
                 ORDER BY currency_id, name, company_id NULLS LAST
                """,
                ids=list(currency_ids | {company.currency_id.id, self.currency_id.id}),
                company=company.root_id.id,
            )
        )
        # Rates relative to the invoice's currency: the RateTable's "company" currency.
        table = costing.RateTable(self.env.cr.fetchall(), self.currency_id.id)
        return {
            tracking: audit.ShipmentFact(
                id=row["id"],
                expected=round(
                    table.to_company(row["price"] or 0.0, row["currency_id"], row["day"]), 2
                ),
                declared_weight=row["weight"] or 0.0,
                made=row["state"] == "done",
                billed_before=row["billed_before"],
            )
            for tracking, row in rows.items()
        }

    def action_import(self):
        self.ensure_one()
        self.env["omni.carrier.invoice"].check_access("create")
        lines = self._parse()
        rows = self._shipments({line.tracking for line in lines})
        unknown = [line for line in lines if line.tracking not in rows]
        if unknown and not self.keep_unknown:
            self._raise_lines(
                self.env._(
                    "Nothing was imported: these tracking numbers are none of our shipments "
                    "by %(carrier)s (tick Import Unknown Tracking Numbers to import them "
                    "flagged):",
                    carrier=self.carrier_id.name,
                ),
                [
                    self.env._(
                        "Line %(line)s: %(tracking)s", line=line.line, tracking=line.tracking
                    )
                    for line in unknown
                ],
            )
        findings = audit.audit(lines, self._facts(rows))
        invoice = self.env["omni.carrier.invoice"].create(self._prepare_invoice_vals())
        self._insert_lines(invoice, findings, rows)
        invoice.invalidate_recordset()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.carrier.invoice",
            "res_id": invoice.id,
            "view_mode": "form",
        }

    def _prepare_invoice_vals(self):
        return {
            "name": self.name,
            "carrier_id": self.carrier_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "date": self.date,
            "file_name": self.file_name,
            "move_id": self.move_id.id,
        }

    @api.model
    def _insert_lines(self, invoice, findings, rows):
        """The invoice's lines in one insert (files run to tens of thousands of lines)."""
        columns = defaultdict(list)
        for finding in findings:
            line = finding.line
            row = rows.get(line.tracking) or {}
            columns["sequence"].append(line.line)
            columns["tracking_number"].append(line.tracking)
            columns["ship_date"].append(line.ship_date)
            columns["shipment_id"].append(finding.shipment_id)
            columns["order_id"].append(row.get("order_id"))
            columns["billed_weight"].append(line.weight)
            columns["declared_weight"].append(finding.declared_weight)
            columns["amount"].append(line.amount)
            columns["surcharge"].append(line.surcharge)
            columns["amount_total"].append(line.total)
            columns["expected_amount"].append(finding.expected)
            columns["at_stake"].append(finding.at_stake)
            columns["status"].append(finding.status)
            columns["flags"].append(", ".join(finding.flags))
            columns["is_flagged"].append(finding.status != audit.OK)
            columns["counts_as_actual"].append(finding.counts_as_actual)
        types = {
            "sequence": "int4",
            "tracking_number": "varchar",
            "ship_date": "date",
            "shipment_id": "int4",
            "order_id": "int4",
            "billed_weight": "float8",
            "declared_weight": "float8",
            "amount": "numeric",
            "surcharge": "numeric",
            "amount_total": "numeric",
            "expected_amount": "numeric",
            "at_stake": "numeric",
            "status": "varchar",
            "flags": "varchar",
            "is_flagged": "bool",
            "counts_as_actual": "bool",
        }
        names = list(types)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omni_carrier_invoice_line
                       (invoice_id, company_id, carrier_id, %s,
                        create_uid, create_date, write_uid, write_date)
                SELECT %s, %s, %s, data.*,
                       %s, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC'
                  FROM unnest(%s) AS data
                """,
                SQL(", ").join(SQL.identifier(name) for name in names),
                invoice.id,
                invoice.company_id.id,
                invoice.carrier_id.id,
                self.env.uid,
                self.env.uid,
                SQL(", ").join(SQL("%s::%s[]", columns[name], SQL(types[name])) for name in names),
            )
        )
