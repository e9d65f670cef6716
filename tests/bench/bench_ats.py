"""Available to sell of 50,000 products over 20 warehouses and stores.

Omni's pool computation (one SQL statement from stock.quant and stock.move) against
Odoo's own figures for the same products and warehouses, then the channel feed after
1,000 products changed. Prints one JSON line per measure.

The pool has no incoming horizon and no buffer: its ATS is the stock on hand minus the
demand of confirmed transfers leaving the warehouses, reserved or not, which Odoo
computes as ``qty_available - outgoing_qty`` (in the same ``_compute_quantities`` as
``free_qty``). ``free_qty`` itself only takes off what is reserved: the generator's
click & collect orders waiting for stock a store lacks are not taken off, and the two
must not be compared.
"""

import json
import time

import benchlib

PRODUCTS = 50_000
STORES = 18  # with the two distribution centers: 20 warehouses
CHANGED = 1_000
PREFIX = "BATS"


def build(env):
    """The network, catalogue and stock, committed like a real database."""
    started = time.perf_counter()
    dataset = env["omni.demo.generator"]._generate(
        stores=STORES, products=PRODUCTS, customers=10, orders=0, prefix=PREFIX, seed=11
    )
    warehouses = dataset["warehouses"]
    plain = env["omni.stock.pool"].create(
        {"name": f"{PREFIX} all warehouses", "warehouse_ids": [(6, 0, warehouses.ids)]}
    )
    web = dataset["stock_pools"].filtered(lambda pool: pool.channel_ids.omni_channel_type == "web")
    env.cr.commit()
    build_seconds = time.perf_counter() - started
    # what the scheduled action does once the data is committed: every pool published
    publish_seconds, _result = benchlib.timed(env["omni.stock.pool"]._cron_publish_ats_queue)
    env.cr.commit()
    benchlib.emit(
        "ats_dataset",
        build_seconds=round(build_seconds, 1),
        publish_seconds=round(publish_seconds, 1),
        products=len(dataset["products"]),
        warehouses=len(warehouses),
        quants=len(dataset["quants"]),
    )
    return plain, web, dataset["products"]


def differing_products(ats, forecast, products):
    """Products whose ATS is not Odoo's forecast without incoming, floored at zero and
    rounded down to the product's unit as ATS is."""
    from odoo.tools import float_compare, float_round  # importable once Odoo is set up

    differing = []
    for product in products:
        rounding = product.uom_id.rounding
        expected = float_round(
            max(forecast[product.id], 0.0), precision_rounding=rounding, rounding_method="DOWN"
        )
        if float_compare(ats.get(product.id, 0.0), expected, precision_rounding=rounding):
            differing.append(product.id)
    return differing


def bench_full(env, plain, web, products):
    warehouse_ids = plain.warehouse_ids.ids

    def odoo_forecast():
        env.invalidate_all()
        in_pool = products.with_context(warehouse_id=warehouse_ids)
        on_hand, outgoing = in_pool.mapped("qty_available"), in_pool.mapped("outgoing_qty")
        return {
            pid: qty - out for pid, qty, out in zip(in_pool.ids, on_hand, outgoing, strict=True)
        }

    omni_seconds, ats = benchlib.timed(lambda: plain._get_ats(products), repeat=5)
    odoo_seconds, forecast = benchlib.timed(odoo_forecast, repeat=3)
    differing = differing_products(ats, forecast, products)
    benchlib.emit(
        "ats_full_vs_odoo_forecast",
        omni_seconds=omni_seconds,
        odoo_seconds=odoo_seconds,
        products=len(products),
        warehouses=len(warehouse_ids),
        odoo_figures="qty_available - outgoing_qty",
        differing_products=len(differing),
        checks={"same_quantities": not differing},
    )
    buffered_seconds, _ats = benchlib.timed(lambda: web._get_ats(products), repeat=5)
    benchlib.emit(
        "ats_full_with_buffers",
        omni_seconds=buffered_seconds,
        products=len(products),
        warehouses=len(web.warehouse_ids),
        buffers=len(web.buffer_ids),
    )
    sample = products[:5]
    order_seconds, _ats = benchlib.timed(lambda: web._get_ats(sample), repeat=50)
    by_warehouse_seconds, _ats = benchlib.timed(
        lambda: web._get_ats_by_warehouse(sample), repeat=50
    )
    benchlib.emit(
        "ats_order_of_5_products",
        omni_seconds=order_seconds,
        by_warehouse_seconds=round(by_warehouse_seconds, 6),
    )


def full_feed(env, pool):
    env.cr.commit()  # a new transaction, as a feed request would be
    seconds, payload = benchlib.timed(
        lambda: json.dumps(env["omni.stock.pool.ats"]._feed(pool)), repeat=3
    )
    feed = json.loads(payload)
    benchlib.emit(
        "ats_feed_full",
        omni_seconds=seconds,
        bytes=len(payload),
        items=feed["count"],
        checks={"whole_pool_published": feed["count"] == len(pool._get_ats())},
    )
    return feed["cursor"]


def change_stock(env, pool, products):
    """Receive one unit of ``CHANGED`` products through Odoo's quant update, and commit
    (the changes are queued as it commits), then publish the queue as the scheduled
    action does."""
    location = pool.warehouse_ids[:1].lot_stock_id
    quants = env["stock.quant"]
    for product in products[:CHANGED]:
        quants._update_available_quantity(product, location, 1)
    queue_seconds, _result = benchlib.timed(env.cr.flush)
    env.cr.commit()
    seconds, _result = benchlib.timed(env["omni.stock.pool"]._cron_publish_ats_queue)
    env.cr.commit()
    benchlib.emit(
        "ats_publish_after_changes",
        omni_seconds=seconds,
        queue_seconds=round(queue_seconds, 6),
        products=CHANGED,
    )


def incremental_feed(env, pool, cursor):
    seconds, payload = benchlib.timed(
        lambda: json.dumps(env["omni.stock.pool.ats"]._feed(pool, since=cursor)), repeat=5
    )
    items = json.loads(payload)["count"]
    benchlib.emit(
        "ats_feed_incremental",
        omni_seconds=seconds,
        changed=CHANGED,
        items=items,
        checks={"only_the_changes": items == CHANGED},
    )


def main():
    # one cursor, committed between the steps: each step reads in its own transaction
    with benchlib.environment(commit=True) as env:
        plain, web, products = build(env)
        bench_full(env, plain, web, products)
        cursor = full_feed(env, plain)
        change_stock(env, plain, products)
        incremental_feed(env, plain, cursor)


if __name__ == "__main__":
    benchlib.run(main)
