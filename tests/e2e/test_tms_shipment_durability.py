"""The shipment record survives a failed transaction, for real: committed on a cursor
of its own before the carrier call, found again by the retry, never duplicated."""

import uuid

import odoo_session
import pytest
from omni_cli.engines import load_engine

fake = load_engine("omni_tms", "tests/fake_servers")
Fail, OmniTestCarrierServer = fake.Fail, fake.OmniTestCarrierServer


class Boom(Exception):
    """The caller's transaction fails after the carrier was called."""


def run(registry, function):
    """``function(env)`` in a transaction of its own, committed unless it raises."""
    with registry.cursor() as cr:
        return function(odoo_session.environment(cr))


@pytest.fixture
def server():
    with OmniTestCarrierServer(accounts={"E2E": "e2e-key"}) as running:
        yield running


@pytest.fixture
def world(registry, server):
    """A carrier, a customer and an order ready to ship, committed; removed after."""
    tag = uuid.uuid4().hex[:8]

    def build(env):
        france = env.ref("base.fr")
        env.company.partner_id.write(
            {
                "street": "8 Rue du Dauphiné",
                "zip": "69800",
                "city": "Saint-Priest",
                "country_id": france.id,
            }
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        shipping = env["product.product"].create({"name": f"E2E shipping {tag}", "type": "service"})
        carrier = env["delivery.carrier"].create(
            {
                "name": f"E2E carrier {tag}",
                "delivery_type": "omni_test",
                "product_id": shipping.id,
                "omni_test_url": f"{server.url}/sandbox",
                "omni_test_account": "E2E",
                "omni_test_api_key": "e2e-key",
                "omni_test_base_price": 5.0,
                "omni_test_price_per_kg": 1.0,
                "omni_timeout": 1.0,
                "omni_max_retries": 0,
            }
        )
        customer = env["res.partner"].create(
            {
                "name": f"E2E customer {tag}",
                "street": "1 Rue de Rivoli",
                "zip": "75001",
                "city": "Paris",
                "country_id": france.id,
            }
        )
        product = env["product.product"].create(
            {"name": f"E2E lamp {tag}", "is_storable": True, "weight": 1.5}
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "warehouse_id": warehouse.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.set_delivery_line(carrier, 6.5)
        order.action_confirm()
        return {
            "carrier": carrier.id,
            "order": order.id,
            "picking": order.picking_ids.id,
            "products": (shipping | product).ids,
            "customer": customer.id,
        }

    ids = run(registry, build)
    yield ids

    def clean(env):
        env["omni.shipment"].search([("picking_id", "=", ids["picking"])]).unlink()
        order = env["sale.order"].browse(ids["order"])
        order._action_cancel()
        pickings = order.picking_ids
        env["ir.attachment"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "in", pickings.ids)]
        ).unlink()
        order.unlink()
        pickings.unlink()
        env["delivery.carrier"].browse(ids["carrier"]).unlink()
        env["product.product"].browse(ids["products"]).product_tmpl_id.unlink()
        env["res.partner"].browse(ids["customer"]).unlink()

    run(registry, clean)


def shipments(registry, picking_id):
    return run(
        registry,
        lambda env: (
            env["omni.shipment"]
            .search([("picking_id", "=", picking_id)])
            .read(["name", "state", "tracking_number", "attempt_count", "error_message"])
        ),
    )


def ship_then_fail(picking_id):
    def function(env):
        env["stock.picking"].browse(picking_id).send_to_shipper()
        raise Boom

    return function


def test_the_shipment_outlives_the_failed_transaction_and_is_reused(registry, server, world):
    with pytest.raises(Boom):
        run(registry, ship_then_fail(world["picking"]))
    [record] = shipments(registry, world["picking"])
    assert record["state"] == "done"
    assert record["tracking_number"] == server.created[0]["tracking_number"]
    picking_ref = run(
        registry, lambda env: env["stock.picking"].browse(world["picking"]).carrier_tracking_ref
    )
    assert not picking_ref, "the caller's transaction was rolled back"

    run(registry, lambda env: env["stock.picking"].browse(world["picking"]).send_to_shipper())
    assert len(server.created) == 1, "the retry found the shipment: no second one"
    assert len(server.requests_to("/v1/shipments")) == 1
    picking_ref = run(
        registry, lambda env: env["stock.picking"].browse(world["picking"]).carrier_tracking_ref
    )
    assert picking_ref == record["tracking_number"]
    labels = run(
        registry,
        lambda env: env["stock.picking"].browse(world["picking"])._omni_label_attachments().ids,
    )
    assert len(labels) == 1


def test_a_carrier_failure_is_kept_for_the_retry(registry, server, world):
    from odoo.exceptions import UserError

    server.script(Fail(503), path="/v1/shipments")
    with pytest.raises(UserError, match="kept to retry"):
        run(registry, lambda env: env["stock.picking"].browse(world["picking"]).send_to_shipper())
    [record] = shipments(registry, world["picking"])
    assert record["state"] == "error"
    assert "503" in record["error_message"]

    run(registry, lambda env: env["omni.shipment"].browse(record["id"]).action_retry())
    [record] = shipments(registry, world["picking"])
    assert (record["state"], record["attempt_count"]) == ("done", 2)
    assert len(server.created) == 1


def test_a_second_attempt_while_one_is_running_is_refused(registry, server, world):
    from odoo.exceptions import UserError

    def reserve(env):
        picking = env["stock.picking"].browse(world["picking"])
        env["omni.shipment"]._omni_reserve(picking, picking.carrier_id, "outbound")

    run(registry, reserve)
    assert [record["state"] for record in shipments(registry, world["picking"])] == ["pending"]
    with pytest.raises(UserError, match="is being created"):
        run(registry, lambda env: env["stock.picking"].browse(world["picking"]).send_to_shipper())
    assert server.requests == []


def test_a_picking_of_the_same_transaction_keeps_its_shipment_there(registry, server, world):
    def copy_and_ship(env):
        original = env["stock.picking"].browse(world["picking"])
        fresh = original.copy()
        fresh.action_confirm()
        fresh.send_to_shipper()
        assert fresh.omni_shipment_ids.state == "done"
        raise Boom(fresh.id)

    with pytest.raises(Boom) as failure:
        run(registry, copy_and_ship)
    fresh_id = failure.value.args[0]
    assert shipments(registry, fresh_id) == []
    assert len(server.created) == 1
