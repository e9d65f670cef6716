"""What a refund credits: the returned quantities taken from the invoice lines that
billed them, the restocking fee and the return label's cost when the customer pays
them, never more than the goods are worth."""

from dataclasses import dataclass

EPSILON = 1e-6


@dataclass(frozen=True)
class InvoicedLine:
    """An invoice line billing the order line refunded: ``refundable`` is its quantity
    not credited yet (in the order line's unit)."""

    key: object
    refundable: float


@dataclass(frozen=True)
class Allocation:
    """``quantity`` of the order line ``line`` credited from the invoice line
    ``invoice_line``."""

    line: object
    invoice_line: object
    quantity: float


@dataclass(frozen=True)
class Charges:
    """Amounts kept from the refund (positive): the restocking fee and the label."""

    fee: float = 0.0
    label: float = 0.0


def allocate(asked, invoiced):
    """Allocations of ``asked`` ({order line: quantity}) on ``invoiced`` ({order line:
    [InvoicedLine]}, in the order to credit them), and {order line: quantity missing}
    for what no invoice billed."""
    allocations, missing = [], {}
    for line, quantity in asked.items():
        wanted = quantity
        for invoice_line in invoiced.get(line, ()):
            if wanted <= EPSILON:
                break
            taken = min(invoice_line.refundable, wanted)
            if taken <= EPSILON:
                continue
            allocations.append(Allocation(line, invoice_line.key, taken))
            wanted -= taken
        if wanted > EPSILON:
            missing[line] = wanted
    return allocations, missing


def round_to(value, rounding):
    """``value`` rounded to the nearest multiple of ``rounding`` (a currency's)."""
    return round(round(value / rounding) * rounding, 10) if rounding else value


def charges(goods, fee_base, fee_percent, label_cost, rounding=0.01):
    """The Charges of a refund of goods worth ``goods``: ``fee_percent`` of
    ``fee_base`` (the value of the lines bearing the fee) and the ``label_cost``
    (0 when the label is free), reduced so that they never exceed ``goods``: the fee
    first, then the label."""
    fee = round_to(max(fee_base, 0.0) * max(fee_percent, 0.0) / 100.0, rounding)
    fee = min(fee, max(goods, 0.0))
    label = min(round_to(max(label_cost, 0.0), rounding), max(goods - fee, 0.0))
    return Charges(fee=fee, label=label)
