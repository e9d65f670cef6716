"""No oversell with two Odoo servers on one database: clients confirm orders through
JSON-RPC on both servers at once, in normal and in peak mode; exactly as many orders
are sold as the pool has units, the others are refused, none fails."""

import threading

import odoo_session
import pytest
from test_ats_oversell_paths import CLIENTS, UNITS, assert_sold_out, network  # noqa: F401
from two_servers import Fault, rpc_user, rpcs, two_servers  # noqa: F401


def set_peak_mode(registry, channel_id, peak):
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)  # kept: the commit flushes through it
        env["crm.team"].browse(channel_id).omni_peak_mode = peak
        cr.commit()


def race(clients, data):
    """``CLIENTS`` clients, alternately on each server, each confirming an order of one
    unit at the same moment: their outcomes."""
    outcomes, gate = [], threading.Barrier(CLIENTS)

    def client(index):
        rpc = clients[index % len(clients)]
        try:
            order_id = rpc(
                "sale.order",
                "create",
                {
                    "partner_id": data["customer"],
                    "team_id": data["channel"],
                    "warehouse_id": data["inside"],
                    "order_line": [(0, 0, {"product_id": data["product"], "product_uom_qty": 1})],
                },
            )
        finally:
            gate.wait(120)
        try:
            rpc("sale.order", "action_confirm", [order_id])
            outcomes.append("sold")
        except Fault as fault:
            refused = "cannot be confirmed" in fault.message
            outcomes.append("refused" if refused else fault.message)

    threads = [
        threading.Thread(target=client, args=(index,), daemon=True) for index in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return sorted(outcomes)


@pytest.mark.parametrize("peak", [False, True], ids=["normal", "peak"])
def test_orders_confirmed_on_two_servers(registry, network, rpcs, peak):  # noqa: F811
    set_peak_mode(registry, network["channel"], peak)
    outcomes = race(rpcs, network)
    assert_sold_out(registry, network, outcomes)
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        sold = env["sale.order"].search(
            [("team_id", "=", network["channel"]), ("state", "=", "sale")]
        )
        expected = {"queued"} if peak else {"none"}
        assert set(sold.mapped("omni_routing_state")) == expected
        assert bool(sold.picking_ids) is not peak
