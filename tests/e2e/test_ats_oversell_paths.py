"""No oversell by any path: concurrent clients, real commits, retried like Odoo's RPC.

A pool blocking oversell holds a few units; more clients than units race for one unit
each through one path of taking goods out of the pool. Exactly as many succeed as there
were units, whatever the path, and the published available to sell ends at zero.
"""

import random
import threading
import time

import odoo_session
import pytest
from psycopg2.errors import SerializationFailure

UNITS = 3
CLIENTS = 8


@pytest.fixture
def network(registry):
    """A pool over one warehouse holding ``UNITS`` of a fresh product, a channel selling
    it, and a warehouse outside the pool; everything removed afterwards."""
    from odoo import Command

    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        inside, outside = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id), ("omni_is_store", "=", False)],
            order="id",
            limit=2,
        )
        product = env["product.product"].create({"name": "Oversell Unit", "is_storable": True})
        env["stock.quant"]._update_available_quantity(product, inside.lot_stock_id, UNITS)
        channel = env["crm.team"].create({"name": "Oversell Channel"})
        pool = env["omni.stock.pool"].create(
            {
                "name": "Oversell pool",
                "warehouse_ids": [Command.set(inside.ids)],
                "channel_ids": [Command.set(channel.ids)],
                "block_oversell": True,
            }
        )
        cr.commit()
        data = {
            "inside": inside.id,
            "outside": outside.id,
            "product": product.id,
            "channel": channel.id,
            "pool": pool.id,
            "customer": env.ref("omni_demo.demo_customers_1").id,
        }
    yield data
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        orders = env["sale.order"].search([("team_id", "=", data["channel"])])
        orders._action_cancel()
        orders.unlink()
        product = env["product.product"].browse(data["product"])
        inside = env["stock.warehouse"].browse(data["inside"])
        env["stock.quant"]._update_available_quantity(product, inside.lot_stock_id, -UNITS)
        env["omni.stock.pool"].browse(data["pool"]).unlink()
        env["crm.team"].browse(data["channel"]).unlink()
        product.active = False
        cr.commit()


def run_retried(registry, work):
    """Run ``work(env)`` in a transaction of its own and commit it, retried on a
    serialization failure as Odoo retries a request; "refused" on a UserError."""
    from odoo.exceptions import UserError

    for _attempt in range(20):
        with registry.cursor() as cr:
            try:
                work(odoo_session.environment(cr))
                cr.commit()
                return "sold"
            except SerializationFailure:
                cr.rollback()
                time.sleep(random.uniform(0.01, 0.1))
            except UserError:
                cr.rollback()
                return "refused"
    return "gave up"


def race(registry, work, clients=CLIENTS):
    """``clients`` threads running ``work`` at once: their outcomes."""
    outcomes = []
    start = threading.Barrier(clients)

    def client(index):
        start.wait()
        outcomes.append(run_retried(registry, lambda env: work(env, index)))

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return sorted(outcomes)


def order_vals(data, lines, warehouse=None):
    from odoo import Command

    vals = {
        "partner_id": data["customer"],
        "team_id": data["channel"],
        "order_line": [
            Command.create({"product_id": data["product"], "product_uom_qty": quantity})
            for quantity in lines
        ],
    }
    if warehouse:
        vals["warehouse_id"] = warehouse
    return vals


def assert_sold_out(registry, data, outcomes):
    assert outcomes == ["refused"] * (CLIENTS - UNITS) + ["sold"] * UNITS
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        pool = env["omni.stock.pool"].browse(data["pool"])
        product = env["product.product"].browse(data["product"])
        assert pool._get_ats(product).get(product.id, 0.0) == 0
        env["omni.stock.pool"]._cron_publish_ats_queue()  # as the scheduler does
        published = env["omni.stock.pool.ats"].search(
            [("pool_id", "=", pool.id), ("product_id", "=", product.id)]
        )
        assert published.qty_ats == 0


def test_orders_shipping_from_the_pool(registry, network):
    def sell(env, _index):
        order = env["sale.order"].create(order_vals(network, [1], network["inside"]))
        order.action_confirm()

    assert_sold_out(registry, network, race(registry, sell))


def test_orders_shipping_from_outside_the_pool(registry, network):
    def sell(env, _index):
        order = env["sale.order"].create(order_vals(network, [1], network["outside"]))
        order.action_confirm()

    assert_sold_out(registry, network, race(registry, sell))


def test_orders_with_lines_giving_goods_back(registry, network):
    def sell(env, _index):
        order = env["sale.order"].create(order_vals(network, [2, -1], network["inside"]))
        order.action_confirm()

    outcomes = race(registry, sell)
    # each order takes two units out: one order fits in three units
    assert outcomes == ["refused"] * (CLIENTS - 1) + ["sold"]


def test_more_on_confirmed_orders(registry, network):
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        orders = env["sale.order"].create(
            [order_vals(network, [0], network["inside"]) for _client in range(CLIENTS)]
        )
        orders.action_confirm()
        order_ids = orders.ids
        cr.commit()

    def sell(env, index):
        env["sale.order"].browse(order_ids[index]).order_line.product_uom_qty = 1

    assert_sold_out(registry, network, race(registry, sell))
