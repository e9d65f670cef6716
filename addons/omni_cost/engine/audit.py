"""Carrier invoice audit: read a carrier's invoice file, then check each line against
the shipment it bills.

``parse`` reads a CSV file in one of the carrier formats of ``FORMATS`` and returns its
lines, or raises ``AuditError`` listing every line that is wrong (nothing is imported
from a file with one bad line). ``audit`` compares the lines with the shipments found
for their tracking numbers and says what is at stake on each.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

# Each format: its delimiter, its decimal separator, its date format and the header of
# each column (tracking number, shipping date, billed weight in kg, amount excluding
# taxes, surcharges, currency code; currency may be absent: the invoice's currency).
FORMATS = {
    "omni": {
        "delimiter": ",",
        "decimal": ".",
        "date": "%Y-%m-%d",
        "columns": {
            "tracking": "tracking_number",
            "date": "ship_date",
            "weight": "billed_weight_kg",
            "amount": "amount",
            "surcharge": "surcharge",
            "currency": "currency",
        },
    },
    "mondialrelay": {
        "delimiter": ";",
        "decimal": ",",
        "date": "%d/%m/%Y",
        "columns": {
            "tracking": "Numero Expedition",
            "date": "Date Depot",
            "weight": "Poids Facture",
            "amount": "Montant HT",
            "surcharge": "Supplements HT",
            "currency": "Devise",
        },
    },
    "chronopost": {
        "delimiter": ";",
        "decimal": ",",
        "date": "%d/%m/%Y",
        "columns": {
            "tracking": "Numero LT",
            "date": "Date Expedition",
            "weight": "Poids Taxe",
            "amount": "Montant Transport",
            "surcharge": "Montant Surcharges",
            "currency": None,
        },
    },
    "sendcloud": {
        "delimiter": ",",
        "decimal": ".",
        "date": "%Y-%m-%d",
        "columns": {
            "tracking": "Tracking number",
            "date": "Date",
            "weight": "Weight",
            "amount": "Shipping costs",
            "surcharge": "Surcharges",
            "currency": "Currency",
        },
    },
}

# What is wrong with a line of a file.
WRONG_HEADER = "wrong_header"
EMPTY_FILE = "empty_file"
NO_TRACKING = "no_tracking"
NOT_A_NUMBER = "not_a_number"
NEGATIVE = "negative"
BAD_DATE = "bad_date"
WRONG_COLUMNS = "wrong_columns"

# What an audited line is found to be.
OK = "ok"
UNKNOWN = "unknown"
NOT_SHIPPED = "not_shipped"
DUPLICATE = "duplicate"
OVERWEIGHT = "overweight"
SURCHARGE = "surcharge"
OVERPRICED = "overpriced"


@dataclass
class LineError:
    line: int
    code: str
    value: str = ""


class AuditError(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass
class InvoiceLine:
    line: int
    tracking: str
    ship_date: date | None
    weight: float
    amount: float
    surcharge: float
    currency: str | None = None

    @property
    def total(self):
        return round(self.amount + self.surcharge, 2)


@dataclass
class ShipmentFact:
    """The shipment a tracking number belongs to: its expected price (in the invoice's
    currency), the weight declared, whether it was made, and whether a confirmed invoice
    already billed it."""

    id: int
    expected: float
    declared_weight: float
    made: bool = True
    billed_before: bool = False


@dataclass
class Finding:
    line: InvoiceLine
    shipment_id: int | None
    status: str
    flags: list = field(default_factory=list)
    at_stake: float = 0.0
    expected: float = 0.0
    declared_weight: float = 0.0

    @property
    def counts_as_actual(self):
        """The amount becomes the shipment's actual cost (not for duplicates or lines
        of no shipment)."""
        return bool(self.shipment_id) and self.status not in (DUPLICATE, NOT_SHIPPED)


def _number(text, decimal):
    text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if decimal != ".":
        text = text.replace(".", "").replace(decimal, ".")
    if not text:
        return 0.0
    return float(text)


def parse(content, format_code):
    """The lines of the CSV ``content`` (text) in format ``format_code``. Raises
    AuditError with every wrong line (line numbers count the header as line 1)."""
    spec = FORMATS[format_code]
    columns = spec["columns"]
    reader = csv.reader(io.StringIO(content), delimiter=spec["delimiter"])
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise AuditError([LineError(1, EMPTY_FILE)])
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0]]
    wanted = [name for name in columns.values() if name]
    missing = [name for name in wanted if name not in header]
    if missing:
        raise AuditError([LineError(1, WRONG_HEADER, ", ".join(missing))])
    index = {key: header.index(name) for key, name in columns.items() if name}
    lines, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < len(header):
            errors.append(LineError(number, WRONG_COLUMNS, spec["delimiter"].join(row)))
            continue
        tracking = row[index["tracking"]].strip()
        if not tracking:
            errors.append(LineError(number, NO_TRACKING))
            continue
        values = {}
        for key in ("weight", "amount", "surcharge"):
            raw = row[index[key]]
            try:
                values[key] = _number(raw, spec["decimal"])
            except ValueError:
                errors.append(LineError(number, NOT_A_NUMBER, raw))
                break
            if values[key] < 0:
                errors.append(LineError(number, NEGATIVE, raw))
                break
        else:
            raw_date = row[index["date"]].strip()
            try:
                ship_date = datetime.strptime(raw_date, spec["date"]).date() if raw_date else None
            except ValueError:
                errors.append(LineError(number, BAD_DATE, raw_date))
                continue
            currency = row[index["currency"]].strip().upper() if "currency" in index else None
            lines.append(
                InvoiceLine(
                    number,
                    tracking,
                    ship_date,
                    values["weight"],
                    values["amount"],
                    values["surcharge"],
                    currency or None,
                )
            )
    if errors:
        raise AuditError(errors)
    return lines


def audit(lines, shipments, weight_tolerance=0.05, price_tolerance=0.01):
    """A Finding per line: ``shipments`` maps tracking numbers to ShipmentFact. Lines of
    unknown tracking numbers, of shipments never made and repeated lines put their whole
    amount at stake; others what is billed above the quote (surcharges included), with
    the reasons (weight above the declared one beyond ``weight_tolerance``, surcharges,
    price above the quote beyond ``price_tolerance``)."""
    findings = []
    seen = set()
    for line in lines:
        shipment = shipments.get(line.tracking)
        if not shipment:
            findings.append(Finding(line, None, UNKNOWN, [UNKNOWN], line.total))
            continue
        common = {"expected": shipment.expected, "declared_weight": shipment.declared_weight}
        if line.tracking in seen or shipment.billed_before:
            findings.append(
                Finding(line, shipment.id, DUPLICATE, [DUPLICATE], line.total, **common)
            )
            continue
        seen.add(line.tracking)
        if not shipment.made:
            findings.append(
                Finding(line, shipment.id, NOT_SHIPPED, [NOT_SHIPPED], line.total, **common)
            )
            continue
        flags = []
        if (
            shipment.declared_weight
            and line.weight > shipment.declared_weight * (1 + weight_tolerance) + 1e-9
        ):
            flags.append(OVERWEIGHT)
        if line.surcharge > 0:
            flags.append(SURCHARGE)
        above = round(line.amount - shipment.expected, 2)
        if above > price_tolerance and OVERWEIGHT not in flags:
            flags.append(OVERPRICED)
        at_stake = round(max(above, 0.0) + line.surcharge, 2) if flags else 0.0
        findings.append(
            Finding(line, shipment.id, flags[0] if flags else OK, flags, at_stake, **common)
        )
    return findings
