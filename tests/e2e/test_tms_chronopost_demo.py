"""The demo's Chronopost carriers ship a demo order and print its label."""

import json

import pytest
from omni_cli.engines import load_engine

fake = load_engine("omni_tms_chronopost", "tests/fake_servers")


@pytest.fixture
def chronopost_server(env):
    """The demo Chronopost carriers, pointed at a fake Chronopost server of this test."""
    carriers = env.ref("omni_demo.demo_carrier_chronopost_13") | env.ref(
        "omni_demo.demo_carrier_chronopost_relay"
    )
    with fake.ChronopostServer() as server:
        carriers.write({"omni_chronopost_url": server.url})
        yield server


def _demo_order(env):
    customer = env["res.partner"].search(
        [
            ("id", "in", [env.ref(f"omni_demo.demo_customers_{n}").id for n in range(1, 41)]),
            ("country_id.code", "=", "FR"),
        ],
        limit=1,
    )
    return env["sale.order"].create(
        {
            "partner_id": customer.id,
            "warehouse_id": env.ref("omni_demo.demo_distribution_centers_1").id,
            "order_line": [(0, 0, {"product_id": env.ref("omni_demo.demo_products_1").id})],
        }
    )


def test_demo_chronopost_carrier_ships_a_demo_order(env, chronopost_server):
    carrier = env.ref("omni_demo.demo_carrier_chronopost_13")
    order = _demo_order(env)
    rate = carrier.rate_shipment(order)
    assert rate["success"], rate["error_message"]
    order.set_delivery_line(carrier, rate["price"])
    order.action_confirm()
    picking = order.picking_ids
    picking.action_omni_create_label()
    assert picking.carrier_tracking_ref in chronopost_server.skybills
    assert picking._omni_label_attachments().raw.startswith(b"%PDF")


def test_demo_chronopost_relay_carrier_ships_to_a_relay_point(env, chronopost_server):
    carrier = env.ref("omni_demo.demo_carrier_chronopost_relay")
    order = _demo_order(env)
    order.set_delivery_line(carrier, 6.9)
    location = order._get_pickup_locations()["pickup_locations"][0]
    order._set_pickup_location(json.dumps(location))
    order.action_confirm()
    picking = order.picking_ids
    picking.action_omni_create_label()
    skybill = chronopost_server.skybills[picking.carrier_tracking_ref]
    assert skybill["relay"] == location["id"]
