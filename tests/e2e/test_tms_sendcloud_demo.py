"""The demo's Sendcloud carrier ships a demo order and prints its label."""

import pytest
from omni_cli.engines import load_engine

fake = load_engine("omni_tms_sendcloud", "tests/fake_servers")


@pytest.fixture
def sendcloud_server(env):
    """The demo Sendcloud carrier, pointed at a fake Sendcloud server of this test."""
    carrier = env.ref("omni_demo.demo_carrier_sendcloud")
    with fake.SendcloudServer() as server:
        carrier.write(
            {
                "omni_sendcloud_url": f"{server.url}/api/v2",
                "omni_sendcloud_service_point_url": f"{server.url}/servicepoints/api/v2",
            }
        )
        yield server


def test_demo_sendcloud_carrier_ships_a_demo_order(env, sendcloud_server):
    carrier = env.ref("omni_demo.demo_carrier_sendcloud")
    customer = env["res.partner"].search(
        [
            ("id", "in", [env.ref(f"omni_demo.demo_customers_{n}").id for n in range(1, 41)]),
            ("country_id.code", "=", "FR"),
        ],
        limit=1,
    )
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "warehouse_id": env.ref("omni_demo.demo_distribution_centers_1").id,
            "order_line": [(0, 0, {"product_id": env.ref("omni_demo.demo_products_1").id})],
        }
    )
    rate = carrier.rate_shipment(order)
    assert rate["success"], rate["error_message"]
    order.set_delivery_line(carrier, rate["price"])
    order.action_confirm()
    picking = order.picking_ids
    picking.action_omni_create_label()
    assert picking.carrier_tracking_ref == sendcloud_server.created[0]["tracking_number"]
    assert picking._omni_label_attachments().raw.startswith(b"%PDF")
