"""Order routing under concurrent transactions, with real commits."""

import threading

import odoo_session
from psycopg2.errors import SerializationFailure


def test_two_orders_never_route_the_last_unit_twice(registry):
    """Two orders race for the last unit of a location: the second waits for the first
    to commit, fails to serialize (a request is then retried by Odoo), and its retry
    sees the unit gone and ships from the next location."""
    from odoo import Command  # importable once the registry fixture set Odoo up

    with registry.cursor() as cr_first, registry.cursor() as cr_second:
        env = odoo_session.environment(cr_first)
        first_site, second_site = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], order="id", limit=2
        )
        product = env["product.product"].create({"name": "Race Unit", "is_storable": True})
        env["stock.quant"]._update_available_quantity(product, first_site.lot_stock_id, 1)
        env["stock.quant"]._update_available_quantity(product, second_site.lot_stock_id, 5)
        channel = env["crm.team"].create({"name": "Race Channel"})
        groups = env["omni.location.group"].create(
            [
                {"name": "Race first", "warehouse_ids": [Command.set(first_site.ids)]},
                {"name": "Race second", "warehouse_ids": [Command.set(second_site.ids)]},
            ]
        )
        rules = env["omni.routing.rule"].create(
            [
                {
                    "name": f"Race {group.name}",
                    "sequence": index,
                    "team_ids": [Command.set(channel.ids)],
                    "location_group_ids": [Command.set(group.ids)],
                }
                for index, group in enumerate(groups)
            ]
        )
        customer = env.ref("omni_demo.demo_customers_1")
        cr_first.commit()

        def order(env):
            return env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "team_id": channel.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1})
                    ],
                }
            )

        second_env = odoo_session.environment(cr_second)
        first, second = order(env), order(second_env)
        try:
            first.action_confirm()  # holds the product's routing lock until it commits
            outcome = {}

            def confirm_second():
                try:
                    second.action_confirm()
                    outcome["result"] = second.omni_allocation_ids.warehouse_id
                except SerializationFailure:
                    outcome["result"] = "retry"

            racer = threading.Thread(target=confirm_second)
            racer.start()
            racer.join(1.0)
            assert racer.is_alive(), "the second order waits for the first"
            assert first.omni_allocation_ids.warehouse_id == first_site
            cr_first.commit()
            racer.join(10)
            assert outcome == {"result": "retry"}
            cr_second.rollback()

            retried = order(odoo_session.environment(cr_second))
            retried.action_confirm()
            assert retried.omni_allocation_ids.warehouse_id == second_site
            cr_second.commit()
        finally:
            cr_second.rollback()
            env = odoo_session.environment(cr_first)
            orders = env["sale.order"].search([("team_id", "=", channel.id)])
            orders._action_cancel()
            orders.unlink()
            for site, quantity in ((first_site, -1), (second_site, -5)):
                env["stock.quant"]._update_available_quantity(
                    product.with_env(env), site.lot_stock_id.with_env(env), quantity
                )
            rules.with_env(env).unlink()
            groups.with_env(env).unlink()
            channel.with_env(env).unlink()
            product.with_env(env).active = False
            cr_first.commit()
