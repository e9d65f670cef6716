"""Order routing inside Odoo over a network of 50 warehouses and stores.

- one decision for an order of 5 lines over 50 candidates, data gathering included;
- bulk decisions in one call, orders per second;
- ``action_confirm`` with routing rules against the standard confirmation, same orders;
- least-cost routing against nearest-first on the same orders: estimated shipping cost
  and shipments.
Prints one JSON line per measure.
"""

import statistics
import time

import benchlib

PREFIX = "BRTE"
STORES = 48  # with the two distribution centers: 50 candidate locations
PRODUCTS = 300
LINES = 5


def build(env):
    started = time.perf_counter()
    generator = env["omni.demo.generator"]
    dataset = generator._generate(
        stores=STORES, products=PRODUCTS, customers=300, orders=0, prefix=PREFIX, seed=7
    )
    rng = dataset["rng"]
    for warehouse in dataset["warehouses"]:
        warehouse.write(
            {
                "omni_shipping_base_cost": round(rng.uniform(4.0, 8.0), 2),
                "omni_shipping_cost_per_kg": round(rng.uniform(0.3, 0.6), 2),
                "omni_shipping_cost_per_km": round(rng.uniform(0.005, 0.02), 3),
                "omni_daily_order_capacity": 0,
            }
        )
    # The generator's demo rules restrict to its channels; this benchmark routes every
    # order of a channel of its own over the whole network.
    dataset["routing_rules"].active = False
    group = env["omni.location.group"].create(
        {"name": f"{PREFIX} network", "warehouse_ids": [(6, 0, dataset["warehouses"].ids)]}
    )
    channel = env["crm.team"].create({"name": f"{PREFIX} bench channel"})
    rule = env["omni.routing.rule"].create(
        {
            "name": f"{PREFIX} nearest",
            "team_ids": [(6, 0, channel.ids)],
            "location_group_ids": [(6, 0, group.ids)],
            "failure_action": "backorder",
        }
    )
    env.cr.commit()
    benchlib.emit(
        "routing_dataset",
        build_seconds=round(time.perf_counter() - started, 1),
        candidates=len(dataset["warehouses"]),
        products=PRODUCTS,
    )
    return dataset, channel, rule


def order_vals(dataset, channel, count):
    rng = dataset["rng"]
    products = dataset["products"].ids
    return [
        {
            "partner_id": rng.choice(dataset["customers"]).id,
            "team_id": channel.id,
            "warehouse_id": dataset["distribution_centers"][0].id,
            "order_line": [
                (0, 0, {"product_id": product_id, "product_uom_qty": rng.randint(1, 3)})
                for product_id in rng.sample(products, LINES)
            ],
        }
        for _index in range(count)
    ]


def make_orders(env, dataset, channel, count):
    return env["sale.order"].create(order_vals(dataset, channel, count))


def bench_single_decision(env, dataset, channel):
    orders = make_orders(env, dataset, channel, 60)
    env.flush_all()
    durations = []
    for order in orders:
        env.invalidate_all()
        started = time.perf_counter()
        order._omni_route()
        durations.append((time.perf_counter() - started) * 1000)
    durations = durations[10:]  # the first ones warm the caches
    benchlib.emit(
        "routing_single_decision_ms",
        median_ms=round(statistics.median(durations), 2),
        p95_ms=round(statistics.quantiles(durations, n=20)[-1], 2),
        candidates=len(dataset["warehouses"]),
        lines=LINES,
        orders=len(durations),
    )
    env.cr.rollback()


def bench_bulk(env, dataset, channel):
    orders = make_orders(env, dataset, channel, 1000)
    env.flush_all()
    env.invalidate_all()
    started = time.perf_counter()
    orders._omni_route()
    env.flush_all()
    seconds = time.perf_counter() - started
    benchlib.emit(
        "routing_bulk",
        omni_seconds=seconds,
        orders=len(orders),
        orders_per_second=round(len(orders) / seconds, 1),
        routed=len(orders.filtered(lambda o: o.omni_routing_state == "routed")),
    )
    env.cr.rollback()


def bench_confirm_overhead(env, dataset, channel, rule):
    """The same orders confirmed with routing, then without it from the warehouse routing
    chose (one per order): both create the same transfers and reserve the same stock,
    so the difference is routing's own work."""
    vals_list = order_vals(dataset, channel, 300)

    def confirm(vals_list, active):
        rule.write({"active": active, "max_shipments": 1, "failure_action": "hold"})
        orders = env["sale.order"].create(vals_list)
        env.flush_all()
        env.invalidate_all()
        started = time.perf_counter()
        for order in orders:
            order.action_confirm()
        env.flush_all()
        return time.perf_counter() - started, orders

    # The first run warms both paths up and tells where routing sends each order.
    _seconds, orders = confirm(vals_list, True)
    sources = [order.omni_allocation_ids.warehouse_id.id for order in orders]
    env.cr.rollback()
    routable = [(vals, source) for vals, source in zip(vals_list, sources, strict=True) if source]
    routed, _orders = confirm([vals for vals, _source in routable], True)
    env.cr.rollback()
    standard, _orders = confirm(
        [dict(vals, warehouse_id=source) for vals, source in routable], False
    )
    benchlib.emit(
        "routing_confirm_overhead",
        omni_seconds=routed,
        odoo_seconds=standard,
        orders=len(routable),
        overhead_percent=round((routed / standard - 1) * 100, 1),
    )
    env.cr.rollback()


def bench_cost_vs_nearest(env, dataset, channel, rule):
    rule.write({"mode": "cost", "split_penalty": 3.0, "whole_order_only": False})
    orders = make_orders(env, dataset, channel, 300)
    orders._omni_route()
    decisions = orders.omni_decision_ids
    benchlib.emit(
        "routing_cost_vs_nearest_first",
        orders=len(orders),
        cost_mode_estimated_cost=round(sum(decisions.mapped("estimated_cost")), 2),
        nearest_first_estimated_cost=round(sum(decisions.mapped("nearest_first_cost")), 2),
        cost_mode_shipments=sum(decisions.mapped("shipments")),
        nearest_first_shipments=sum(decisions.mapped("nearest_first_shipments")),
    )
    env.cr.rollback()


def main():
    with benchlib.environment(commit=True) as env:
        dataset, channel, rule = build(env)
        bench_single_decision(env, dataset, channel)
        bench_bulk(env, dataset, channel)
        bench_confirm_overhead(env, dataset, channel, rule)
        bench_cost_vs_nearest(env, dataset, channel, rule)


if __name__ == "__main__":
    benchlib.run(main)
