"""The demo's cost per order: rates of the demo warehouses and stores, the delivered
demo orders costed and posted on the Fulfilment plan, and a carrier invoice whose
over-charges wait to be checked."""


def test_demo_places_and_channels_have_their_rates(env):
    central = env.ref("omni_demo.demo_distribution_centers_1")
    store = env.ref("omni_demo.demo_stores_1")
    assert central.omni_cost_labour_rate > 0 and central.omni_cost_walk_speed > 0
    assert store.omni_cost_labour_rate > 0 and store.omni_cost_store_order_minutes > 0
    marketplace = env["crm.team"].search([("omni_channel_type", "=", "marketplace")], limit=1)
    assert marketplace.omni_fee_percent > 0


def test_delivered_demo_orders_are_costed_and_posted(env):
    costs = env["omni.order.cost"].search([("state", "=", "costed")])
    assert costs, "the delivered demo orders are costed"
    for cost in costs:
        parts = sum(
            cost[name]
            for name in (
                "amount_carrier",
                "amount_picking",
                "amount_packing",
                "amount_store",
                "amount_returns",
                "amount_channel_fee",
            )
        )
        assert round(parts - cost.amount_total, 2) == 0
        analytic = env["account.analytic.line"].search([("omni_order_id", "=", cost.order_id.id)])
        assert round(sum(analytic.mapped("amount")) + cost.amount_total, 2) == 0
    # The nightly batch finds nothing more to post for them.
    count = env["omni.order.cost.line"].search_count([])
    env["omni.cost.service"].with_context(omni_cost_no_commit=True)._cost_orders(costs.order_id.ids)
    assert env["omni.order.cost.line"].search_count([]) == count


def test_demo_carrier_invoice_has_over_charges_to_check(env):
    invoice = env.ref("omni_demo.demo_carrier_invoice")
    assert invoice.state == "draft"
    statuses = set(invoice.line_ids.mapped("status"))
    assert {"overweight", "duplicate", "unknown"} <= statuses
    assert invoice.amount_at_stake > 0
