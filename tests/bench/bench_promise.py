"""Delivery promise and service KPIs inside Odoo.

- the promise of a 5-line quotation over 50 candidate locations and 5 carrier services
  (data gathering, routing and dating), against Odoo's ``expected_date`` of the same
  quotations (lead times only);
- promises per second on one worker for a product page (one unit of one product);
- the order service level pivot (OTIF, on time, cycle times) by channel and week over
  200,000 confirmed orders, against Odoo's sales analysis pivot by channel and week over
  the same orders.
Prints one JSON line per measure.
"""

import statistics
import time

import benchlib

PREFIX = "BPRM"
STORES = 48  # with the two distribution centers: 50 candidate locations
PRODUCTS = 300
LINES = 5
CARRIERS = 5
KPI_ORDERS = 200_000
CHANNELS = 5


def build(env):
    started = time.perf_counter()
    dataset = env["omni.demo.generator"]._generate(
        stores=STORES, products=PRODUCTS, customers=300, orders=0, prefix=PREFIX, seed=11
    )
    dataset["routing_rules"].active = False
    # the benchmark's own five carrier services only
    env["omni.carrier.cutoff"].search([]).active = False
    env["omni.carrier.transit"].search([]).active = False
    warehouses = dataset["warehouses"]
    group = env["omni.location.group"].create(
        {"name": f"{PREFIX} network", "warehouse_ids": [(6, 0, warehouses.ids)]}
    )
    channel = env["crm.team"].create({"name": f"{PREFIX} bench channel"})
    env["omni.routing.rule"].create(
        {
            "name": f"{PREFIX} nearest",
            "team_ids": [(6, 0, channel.ids)],
            "location_group_ids": [(6, 0, group.ids)],
            "failure_action": "backorder",
        }
    )
    calendar = env.company.resource_calendar_id
    env["resource.calendar.leaves"].create(
        {
            "name": f"{PREFIX} public holiday",
            "calendar_id": calendar.id,
            "date_from": "2026-12-25 00:00:00",
            "date_to": "2026-12-25 23:59:59",
        }
    )
    warehouses.write({"omni_work_calendar_id": calendar.id, "omni_handling_hours": 2.0})
    france = env.ref("base.fr")
    shipping = env["product.product"].create({"name": f"{PREFIX} shipping", "type": "service"})
    carriers = env["delivery.carrier"].create(
        [
            {"name": f"{PREFIX} service {index}", "product_id": shipping.id}
            for index in range(CARRIERS)
        ]
    )
    env["omni.carrier.transit"].create(
        [
            {
                "carrier_id": carrier.id,
                "country_id": france.id,
                "zip_prefix": prefix,
                "transit_days": days + index % 2,
            }
            for index, carrier in enumerate(carriers)
            for prefix, days in (("", 2), ("75", 1), ("69", 1), ("13", 2))
        ]
        + [{"carrier_id": carrier.id, "transit_days": 4} for carrier in carriers]
    )
    env["omni.carrier.cutoff"].create(
        [
            {
                "carrier_id": carrier.id,
                "warehouse_id": warehouse.id,
                "cutoff_time": 15.0 + index * 0.5,
                "tz": "Europe/Paris",
            }
            for index, carrier in enumerate(carriers)
            for warehouse in warehouses
        ]
    )
    env.cr.commit()
    benchlib.emit(
        "promise_dataset",
        build_seconds=round(time.perf_counter() - started, 1),
        candidates=len(warehouses),
        carrier_services=len(carriers),
        products=PRODUCTS,
    )
    return dataset, channel


def quotations(env, dataset, channel, count):
    rng = dataset["rng"]
    products = dataset["products"].ids
    return env["sale.order"].create(
        [
            {
                "partner_id": rng.choice(dataset["customers"]).id,
                "team_id": channel.id,
                "warehouse_id": dataset["distribution_centers"][0].id,
                "order_line": [
                    (0, 0, {"product_id": product_id, "product_uom_qty": rng.randint(1, 2)})
                    for product_id in rng.sample(products, LINES)
                ],
            }
            for _index in range(count)
        ]
    )


def bench_cart_promise(env, dataset, channel):
    orders = quotations(env, dataset, channel, 60)
    env.flush_all()
    Service = env["omni.promise.service"]
    durations, odoo_durations, results = [], [], []
    for order in orders:
        env.invalidate_all()
        started = time.perf_counter()
        results.append(Service._promise_order(order))
        durations.append((time.perf_counter() - started) * 1000)
        env.invalidate_all()
        started = time.perf_counter()
        order._compute_expected_date()
        odoo_durations.append((time.perf_counter() - started) * 1000)
    durations, odoo_durations = durations[10:], odoo_durations[10:]  # warm-up
    promised = [result for result in results if result.promised]
    benchlib.emit(
        "promise_cart_5_lines_ms",
        median_ms=round(statistics.median(durations), 2),
        p95_ms=round(statistics.quantiles(durations, n=20)[-1], 2),
        odoo_expected_date_median_ms=round(statistics.median(odoo_durations), 2),
        omni_seconds=statistics.median(durations) / 1000,
        odoo_seconds=statistics.median(odoo_durations) / 1000,
        candidates=len(dataset["warehouses"]),
        carrier_services=CARRIERS,
        lines=LINES,
        carts=len(durations),
        promised=len(promised),
    )
    env.cr.rollback()


def bench_product_page(env, dataset, channel):
    Service = env["omni.promise.service"]
    customer = dataset["customers"][0]
    products = dataset["products"][:200]
    for product in products[:10]:  # warm-up
        Service._promise_cart(env.company, channel, [(1, product, 1.0, "")], customer)
    env.invalidate_all()
    started = time.perf_counter()
    for product in products:
        Service._promise_cart(env.company, channel, [(1, product, 1.0, "")], customer)
    seconds = time.perf_counter() - started
    benchlib.emit(
        "promise_product_page",
        promises=len(products),
        promises_per_second=round(len(products) / seconds, 1),
        omni_seconds=seconds / len(products),
    )


def build_history(env, dataset):
    """200,000 confirmed orders over 52 weeks and 5 channels, each with one line,
    shipped the day of the order and delivered one to four days later, one in five
    promises broken: copies made in SQL of one real order shipped through Odoo."""
    started = time.perf_counter()
    channels = env["crm.team"].create(
        [{"name": f"{PREFIX} KPI channel {index}"} for index in range(CHANNELS)]
    )
    order = quotations(env, dataset, channels[0], 1)
    order.order_line[1:].unlink()
    order.action_confirm()
    picking = order.picking_ids[:1]
    picking.move_ids.quantity = picking.move_ids.product_uom_qty
    picking.move_ids.picked = True
    picking._action_done()
    env.flush_all()
    first = min(channels.ids)
    env.cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'sale_order' AND column_name != 'id'
        """
    )
    overrides = {
        "name": f"'{PREFIX}/' || n",
        "team_id": f"{first} + MOD(n, {CHANNELS})",
        "date_order": "TIMESTAMP '2025-01-06 09:00' + MOD(n, 364) * INTERVAL '1 day'",
        "omni_promise_date": "DATE '2025-01-08' + MOD(n, 364)",
        "omni_promise_status": "CASE WHEN MOD(n, 5) = 0 THEN 'broken' ELSE 'kept' END",
        "omni_promise_break_stage": "CASE WHEN MOD(n, 5) = 0 THEN 'carrier' END",
        "omni_shipped_date": "TIMESTAMP '2025-01-06 15:00' + MOD(n, 364) * INTERVAL '1 day'",
        "omni_delivered_date": "TIMESTAMP '2025-01-07 12:00' + MOD(n, 364) * INTERVAL '1 day' "
        "+ MOD(n, 4) * INTERVAL '1 day'",
    }
    columns = [row[0] for row in env.cr.fetchall()]
    values = [overrides.get(column, f'"{column}"') for column in columns]
    env.cr.execute(
        f"""
        INSERT INTO sale_order ({", ".join(f'"{c}"' for c in columns)})
        SELECT {", ".join(values)} FROM sale_order, generate_series(1, %s) n WHERE id = %s
        """,  # names from the catalogue, values from this script
        (KPI_ORDERS, order.id),
    )
    # the real order stays out of the channels measured
    order.team_id = dataset["channels"][:1]
    env.cr.execute(
        f"""
        CREATE TEMP TABLE bench_orders AS
        SELECT id, SUBSTRING(name FROM {len(PREFIX) + 2})::int AS n
          FROM sale_order WHERE name LIKE %s
        """,
        (f"{PREFIX}/%",),
    )
    # one line per order, for Odoo's sales analysis
    env.cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'sale_order_line' AND column_name != 'id'
        """
    )
    columns = [row[0] for row in env.cr.fetchall()]
    values = ["o.id" if column == "order_id" else f't."{column}"' for column in columns]
    env.cr.execute(
        f"""
        INSERT INTO sale_order_line ({", ".join(f'"{c}"' for c in columns)})
        SELECT {", ".join(values)} FROM sale_order_line t, bench_orders o WHERE t.id = %s
        """,  # names from the catalogue, values from this script
        (order.order_line.id,),
    )
    env.cr.execute("ANALYZE sale_order; ANALYZE sale_order_line")
    env.cr.commit()
    benchlib.emit(
        "promise_kpi_history",
        build_seconds=round(time.perf_counter() - started, 1),
        orders=KPI_ORDERS,
        channels=CHANNELS,
    )
    return channels


def bench_kpi_pivot(env, channels):
    domain = [("team_id", "in", channels.ids)]
    Kpi = env["omni.kpi.order"]
    Sales = env["sale.report"]
    measures = ["otif_rate:avg", "on_time_rate:avg", "hours_to_deliver:avg", "__count"]
    groupby = ["team_id", "date_confirmed:week"]
    Kpi._read_group(domain, groupby, measures)  # warm-up
    omni_seconds, rows = benchlib.timed(lambda: Kpi._read_group(domain, groupby, measures), 3)
    odoo_seconds, sales_rows = benchlib.timed(
        lambda: Sales._read_group(
            domain, ["team_id", "date:week"], ["price_subtotal:sum", "__count"]
        ),
        3,
    )
    counted = sum(row[-1] for row in rows)
    otif = sum(row[2] * row[-1] for row in rows) / counted if counted else 0
    benchlib.emit(
        "promise_kpi_pivot_200k",
        omni_seconds=omni_seconds,
        odoo_seconds=odoo_seconds,
        orders=counted,
        groups=len(rows),
        odoo_groups=len(sales_rows),
        otif_percent=round(otif, 1),
        checks={
            "every_order_counted": counted == KPI_ORDERS,
            # one order in five broken, the others kept and in full
            "otif_is_80_percent": abs(otif - 80.0) < 0.01,
        },
    )


def main():
    with benchlib.environment(commit=True) as env:
        dataset, channel = build(env)
        bench_cart_promise(env, dataset, channel)
        bench_product_page(env, dataset, channel)
        channels = build_history(env, dataset)
        bench_kpi_pivot(env, channels)


if __name__ == "__main__":
    benchlib.run(main)
