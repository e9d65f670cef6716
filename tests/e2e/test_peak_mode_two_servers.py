"""Peak mode on two Odoo servers sharing one database, with real commits: orders are
confirmed through both servers, then both servers work through the queue at the same
time, each with its own scheduled action and small batches (routing, then transfers).
Each takes batches the other does not (``SKIP LOCKED``): every order is routed once and
sent to its warehouses once, with one set of transfers."""

import re
import threading
import uuid

import odoo_session
import pytest
from two_servers import rpc_user, rpcs, two_servers  # noqa: F401

ORDERS = 40
BATCH = 4
LANES = (
    "omni_oms.sale_order_cron_omni_route_queued",
    "omni_oms.sale_order_cron_omni_launch_planned",
)
BATCH_LINE = re.compile(r"Omni peak routing: (\d+) orders (routed|sent to their warehouses) in")
BATCH_SIZES = ("omni_oms.peak_batch_size", "omni_oms.peak_routing_batch_size")


def run(registry, function):
    with registry.cursor() as cr:
        return function(odoo_session.environment(cr))


@pytest.fixture
def peak_world(registry):
    """A channel in peak mode selling a pool over two warehouses, a routing rule over
    them, three products in stock, batches of ``BATCH`` orders; removed afterwards."""
    from odoo import Command

    tag = uuid.uuid4().hex[:6]

    def build(env):
        warehouses = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id), ("omni_is_store", "=", False)],
            order="id",
            limit=2,
        )
        products = env["product.product"].create(
            [{"name": f"Peak {tag} {index}", "is_storable": True} for index in range(3)]
        )
        for product in products:
            for warehouse in warehouses:
                env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 100)
        channel = env["crm.team"].create({"name": f"Peak {tag}", "omni_peak_mode": True})
        pool = env["omni.stock.pool"].create(
            {
                "name": f"Peak {tag}",
                "warehouse_ids": [Command.set(warehouses.ids)],
                "channel_ids": [Command.set(channel.ids)],
                "block_oversell": True,
            }
        )
        group = env["omni.location.group"].create(
            {"name": f"Peak {tag}", "warehouse_ids": [Command.set(warehouses.ids)]}
        )
        rule = env["omni.routing.rule"].create(
            {
                "name": f"Peak {tag}",
                "team_ids": [Command.set(channel.ids)],
                "location_group_ids": [Command.set(group.ids)],
            }
        )
        parameters = env["ir.config_parameter"]
        previous = {key: parameters.get_param(key) for key in BATCH_SIZES}
        for key in BATCH_SIZES:
            parameters.set_param(key, BATCH)
        return {
            "warehouses": warehouses.ids,
            "products": products.ids,
            "channel": channel.id,
            "pool": pool.id,
            "group": group.id,
            "rule": rule.id,
            "previous_batches": previous,
            "customer": env.ref("omni_demo.demo_customers_1").id,
            "lanes": [env.ref(xmlid).id for xmlid in LANES],
        }

    data = run(registry, build)
    yield data

    def clean(env):
        orders = env["sale.order"].search([("team_id", "=", data["channel"])])
        orders._action_cancel()
        orders.unlink()
        products = env["product.product"].browse(data["products"])
        for warehouse in env["stock.warehouse"].browse(data["warehouses"]):
            for product in products:
                env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, -100)
        env["omni.routing.rule"].browse(data["rule"]).unlink()
        env["omni.location.group"].browse(data["group"]).unlink()
        env["omni.stock.pool"].browse(data["pool"]).unlink()
        env["crm.team"].browse(data["channel"]).unlink()
        products.active = False
        for key, value in data["previous_batches"].items():
            env["ir.config_parameter"].set_param(key, value or False)

    run(registry, clean)


def waiting(registry, channel_id, states=("queued", "planned")):
    """Orders of the channel still waiting for routing or for their transfers."""
    return run(
        registry,
        lambda env: env["sale.order"].search_count(
            [("team_id", "=", channel_id), ("omni_routing_state", "in", states)]
        ),
    )


def test_two_servers_route_disjoint_batches(registry, peak_world, rpcs, two_servers):  # noqa: F811
    for index in range(ORDERS):
        rpc = rpcs[index % 2]
        order_id = rpc(
            "sale.order",
            "create",
            {
                "partner_id": peak_world["customer"],
                "team_id": peak_world["channel"],
                "order_line": [
                    (0, 0, {"product_id": product, "product_uom_qty": 1 + index % 2})
                    for product in peak_world["products"][index % 2 :]
                ],
            },
        )
        rpc("sale.order", "action_confirm", [order_id])
    assert waiting(registry, peak_world["channel"], ("queued",)) == ORDERS

    offsets = two_servers.log_offsets()
    failures = []

    def route(server_index):
        # each server runs its own action, batch after batch, until none is left
        try:
            for _call in range(2 * ORDERS):
                if not waiting(registry, peak_world["channel"]):
                    return
                rpcs[server_index](
                    "ir.cron", "method_direct_trigger", [peak_world["lanes"][server_index]]
                )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(repr(error))

    threads = [threading.Thread(target=route, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)

    assert failures == []
    assert waiting(registry, peak_world["channel"]) == 0
    batches = [BATCH_LINE.findall(text) for text in two_servers.logs_since(offsets)]
    assert all(batches), f"each server ran batches: {batches}"
    for step in ("routed", "sent to their warehouses"):
        counts = [int(count) for server in batches for count, name in server if name == step]
        assert sum(counts) == ORDERS, f"every order {step} once: {counts}"
        assert max(counts) <= BATCH

    def check(env):
        orders = env["sale.order"].search([("team_id", "=", peak_world["channel"])])
        assert len(orders) == ORDERS
        assert set(orders.mapped("omni_routing_state")) == {"routed"}
        assert [len(order.omni_decision_ids) for order in orders] == [1] * ORDERS
        for line in orders.order_line:
            moves = line.move_ids.filtered(lambda move: move.state != "cancel")
            assert sum(moves.mapped("product_uom_qty")) == line.product_uom_qty, line
        # every unit counted once: 200 of each product, 20 orders of one unit of each,
        # 20 orders of two units of the last two
        pool = env["omni.stock.pool"].browse(peak_world["pool"])
        first, second, third = peak_world["products"]
        products = env["product.product"].browse(peak_world["products"])
        assert pool._get_ats(products) == {first: 180, second: 140, third: 140}

    run(registry, check)
