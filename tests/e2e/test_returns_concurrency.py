"""Two return requests for the same delivered units at the same time: the second waits
for the first, then must start again, and is refused."""

import threading

import odoo_session
import pytest
from psycopg2.errors import SerializationFailure


@pytest.fixture
def delivered_line(registry):
    """An order line of two units delivered, committed; its returns are removed
    afterwards."""
    from odoo import Command

    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        product = env["product.product"].create(
            {"name": "Returns race lamp", "is_storable": True, "list_price": 10.0}
        )
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 2)
        order = env["sale.order"].create(
            {
                "partner_id": env.ref("base.res_partner_2").id,
                "warehouse_id": warehouse.id,
                "client_order_ref": "Returns concurrency",
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        delivery = order.picking_ids
        delivery.action_assign()
        delivery.move_ids.quantity = 2
        delivery.move_ids.picked = True
        delivery.with_context(skip_sms=True, skip_backorder=True).button_validate()
        assert delivery.state == "done"
        line_id = order.order_line.id
        cr.commit()
    yield line_id
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        returns = env["omni.return"].search([("line_ids.sale_line_id", "=", line_id)])
        returns.action_cancel()
        returns.picking_ids.unlink()
        returns.unlink()
        line = env["sale.order.line"].browse(line_id)
        line.product_id.active = False
        cr.commit()


def request(env, line_id, quantity):
    line = env["sale.order.line"].browse(line_id)
    return env["omni.return"]._create_request(
        line.order_id,
        [(line, quantity, env.ref("omni_returns.omni_return_reason_changed_mind"))],
        "backend",
    )


def test_two_requests_never_return_the_same_units_twice(registry, delivered_line):
    from odoo.exceptions import UserError

    with registry.cursor() as cr_first, registry.cursor() as cr_second:
        first_env = odoo_session.environment(cr_first)
        second_env = odoo_session.environment(cr_second)
        # Both read the order line before either asks for anything.
        assert first_env["sale.order.line"].browse(delivered_line).qty_delivered == 2
        assert second_env["sale.order.line"].browse(delivered_line).qty_delivered == 2
        first = request(first_env, delivered_line, 2)
        assert first.line_ids.quantity == 2

        outcome = {}

        def second_request():
            try:
                request(second_env, delivered_line, 2)
                outcome["result"] = "created"
            except SerializationFailure:
                outcome["result"] = "retry"

        racer = threading.Thread(target=second_request)
        racer.start()
        racer.join(1.0)
        assert racer.is_alive(), "the second request waits for the first"
        cr_first.commit()
        racer.join(10)
        assert outcome == {"result": "retry"}
        cr_second.rollback()

        retry_env = odoo_session.environment(cr_second)
        with pytest.raises(UserError, match=r"2\.0 Units asked for, only 0\.0"):
            request(retry_env, delivered_line, 2)
        cr_second.rollback()
        retry_env = odoo_session.environment(cr_second)
        line = retry_env["sale.order.line"].browse(delivered_line)
        assert retry_env["omni.return"].search_count([("line_ids.sale_line_id", "=", line.id)]) == 1
        assert line.omni_qty_returning == 2
