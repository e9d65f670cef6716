"""Costing orders and posting the differences, in plain Python."""

from omni_cli.engines import load_engine

costing = load_engine("omni_cost").costing

DC, STORE, DC2 = 1, 2, 3
RATES = {
    DC: costing.PlaceRates(
        labour_rate=30.0, walk_speed=60.0, line_seconds=20.0, unit_seconds=6.0, parcel_seconds=90.0
    ),
    STORE: costing.PlaceRates(labour_rate=24.0, store_order_minutes=10.0, is_store=True),
    DC2: costing.PlaceRates(labour_rate=0.0, walk_speed=50.0),
}


def order(order_id=1, **values):
    return costing.Order(
        order_id,
        channel_id=7,
        warehouse_id=DC,
        amount_total=200.0,
        fee_percent=3.0,
        fee_fixed=0.3,
        **values,
    )


def test_warehouse_order():
    """120 m at 60 m/min + 2 lines x 20 s + 3 units x 6 s at 30/h = 1.48; one parcel of
    90 s = 0.75 and its box 0.80; label 7.50; fees 6.30."""
    result = costing.cost_orders(
        {1: order()},
        [costing.Transfer(10, 1, DC, 120.0, 2, 3.0, 1, 0.8)],
        [costing.Shipment(20, 1, DC, 5, 7.5)],
        [],
        RATES,
    )
    amounts = {item.component: item.amount for item in result.items}
    assert amounts == {"picking": 1.48, "packing": 1.55, "carrier": 7.5, "channel_fee": 6.3}
    assert not result.problems


def test_store_order_and_missing_rate():
    result = costing.cost_orders(
        {1: order(), 2: order(2)},
        [costing.Transfer(10, 1, STORE), costing.Transfer(11, 2, DC2, 100.0, 1, 1.0)],
        [],
        [],
        RATES,
    )
    assert [(item.order_id, item.component, item.amount) for item in result.items] == [
        (1, "store", 4.0),
        (1, "channel_fee", 6.3),
    ]
    assert [(p.order_id, p.code) for p in result.problems] == [(2, costing.MISSING_LABOUR_RATE)]


def test_deltas_post_differences_and_reversals():
    """A second run posts nothing; a re-routed transfer reverses its old place's
    cost and posts the new one's; a cancelled order reverses everything."""
    first = costing.cost_orders(
        {1: order()}, [costing.Transfer(10, 1, DC, 0.0, 1, 1.0)], [], [], RATES
    ).items
    posted = {item.key: item.amount for item in costing.deltas(first, {}, [1])}
    assert costing.deltas(first, posted, [1]) == []
    moved = costing.cost_orders({1: order()}, [costing.Transfer(10, 1, STORE)], [], [], RATES).items
    changes = {(d.component, d.warehouse_id): d.amount for d in costing.deltas(moved, posted, [1])}
    assert changes == {("picking", DC): -0.22, ("packing", DC): -0.75, ("store", STORE): 4.0}
    cancelled = costing.cost_orders({1: order(cancelled=True)}, [], [], [], RATES).items
    reversal = costing.deltas(cancelled, posted, [1])
    assert round(sum(d.amount for d in reversal) + sum(posted.values()), 2) == 0


def test_actual_replaces_estimate_and_currency():
    table = costing.RateTable([(5, "2020-01-01", 2.0), (5, "2021-01-01", 4.0)], 1)
    assert table.to_company(10.0, 5, "2020-06-01") == 5.0
    assert table.to_company(10.0, 5, "2022-01-01") == 2.5
    assert table.to_company(10.0, 1, "2022-01-01") == 10.0
    estimated = costing.cost_orders(
        {1: order()}, [], [costing.Shipment(20, 1, DC, 5, 7.5)], [], RATES
    ).items
    posted = {item.key: item.amount for item in estimated}
    actual = costing.cost_orders(
        {1: order()}, [], [costing.Shipment(20, 1, DC, 5, 7.5, actual=8.0)], [], RATES
    ).items
    changes = sorted(
        (d.state, d.amount) for d in costing.deltas(actual, posted, [1]) if d.component == "carrier"
    )
    assert changes == [("actual", 8.0), ("estimated", -7.5)]
