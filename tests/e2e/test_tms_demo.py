"""The demo's test carriers and carrier rules choose carriers and print labels."""

import pytest
from omni_cli.engines import load_engine

fake = load_engine("omni_tms", "tests/fake_servers")


@pytest.fixture
def carrier_server(env):
    """The demo carriers, pointed at a fake carrier server of this test."""
    carriers = env["delivery.carrier"].browse(
        [env.ref(f"omni_demo.demo_carrier_{key}").id for key in ("eco", "standard", "express")]
    )
    with fake.OmniTestCarrierServer() as server:
        carriers.write({"omni_test_url": f"{server.url}/sandbox"})
        yield server


def demo_order(env, country_code, **vals):
    customer = env["res.partner"].search(
        [
            ("id", "in", [env.ref(f"omni_demo.demo_customers_{n}").id for n in range(1, 41)]),
            ("country_id.code", "=", country_code),
        ],
        limit=1,
    )
    return env["sale.order"].create(
        {
            "partner_id": customer.id,
            "warehouse_id": env.ref("omni_demo.demo_distribution_centers_1").id,
            "order_line": [(0, 0, {"product_id": env.ref("omni_demo.demo_products_1").id})],
            **vals,
        }
    )


def test_demo_rules_shop_for_rates_in_france(env, carrier_server):
    server = carrier_server
    order = demo_order(env, "FR")
    order.action_omni_choose_carrier()
    assert order.omni_carrier_rule_id.name == "OMNI France: cheapest within 3 days"
    assert order.carrier_id == env.ref("omni_demo.demo_carrier_standard")
    assert len(order.omni_carrier_quote_ids) == 3
    assert len(server.requests_to("/v1/rates")) == 3

    order.action_confirm()
    picking = order.picking_ids
    picking.action_omni_create_label()
    assert picking.carrier_tracking_ref == server.created[0]["tracking_number"]
    assert picking._omni_label_attachments().raw.startswith(b"%PDF")


def test_demo_rules_by_service_level(env, carrier_server):
    order = demo_order(env, "FR", omni_service_level="express")
    order.action_omni_choose_carrier()
    assert order.omni_carrier_rule_id.name == "OMNI Express: fastest within 30"
    assert order.carrier_id == env.ref("omni_demo.demo_carrier_express")


def test_demo_transport_menus(env):
    admin = env.ref("base.user_admin")
    menus = env["ir.ui.menu"].with_user(admin)
    visible = menus.browse(menus._visible_menu_ids())
    for xmlid in ("omni_shipment_menu", "omni_tracking_event_menu", "omni_carrier_rule_menu"):
        assert env.ref(f"omni_tms.{xmlid}") in visible
    rules = env["omni.carrier.rule"].search([("name", "=like", "OMNI %")])
    assert sorted(rules.mapped("shipment_kind")) == ["outbound"] * 5 + ["return"]
