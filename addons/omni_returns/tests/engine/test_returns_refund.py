"""What a refund credits."""

from omni_cli.engines import load_engine

refund = load_engine("omni_returns").refund


def test_quantities_are_taken_from_the_invoice_lines_in_order():
    invoiced = {
        1: [refund.InvoicedLine("inv2-l1", 1.0), refund.InvoicedLine("inv1-l1", 5.0)],
        2: [refund.InvoicedLine("inv1-l2", 2.0)],
    }
    allocations, missing = refund.allocate({1: 3.0, 2: 2.0}, invoiced)
    assert allocations == [
        refund.Allocation(1, "inv2-l1", 1.0),
        refund.Allocation(1, "inv1-l1", 2.0),
        refund.Allocation(2, "inv1-l2", 2.0),
    ]
    assert missing == {}


def test_what_no_invoice_billed_is_missing():
    allocations, missing = refund.allocate(
        {1: 3.0, 2: 1.0}, {1: [refund.InvoicedLine("l1", 2.0), refund.InvoicedLine("l0", 0.0)]}
    )
    assert allocations == [refund.Allocation(1, "l1", 2.0)]
    assert missing == {1: 1.0, 2: 1.0}


def test_fee_and_label():
    assert refund.charges(100.0, 80.0, 10.0, 6.5) == refund.Charges(fee=8.0, label=6.5)
    assert refund.charges(100.0, 0.0, 10.0, 0.0) == refund.Charges()


def test_fee_rounded_to_the_currency():
    assert refund.charges(100.0, 33.33, 15.0, 0.0).fee == 5.0
    assert refund.charges(100.0, 33.33, 15.0, 0.0, rounding=0.001).fee == 5.0
    assert refund.charges(100.0, 33.37, 15.0, 0.0).fee == 5.01


def test_charges_never_exceed_the_goods():
    assert refund.charges(10.0, 10.0, 50.0, 12.0) == refund.Charges(fee=5.0, label=5.0)
    assert refund.charges(4.0, 10.0, 50.0, 12.0) == refund.Charges(fee=4.0, label=0.0)
