"""Available to sell under concurrent transactions, with real commits."""

import threading

import odoo_session
import pytest
from psycopg2.errors import SerializationFailure


def pool_of(env, channel_type):
    return env["omni.stock.pool"].search(
        [("name", "=like", "OMNI %"), ("channel_ids.omni_channel_type", "=", channel_type)]
    )


def products_with_ats(env, pool, count, minimum):
    products = env["product.product"].search([("default_code", "=like", "OMNI-%")])
    ats = pool._get_ats(products)
    chosen = products.filtered(lambda product: ats.get(product.id, 0) >= minimum)[:count]
    assert len(chosen) == count
    return chosen, ats


def add_stock(env, products, location, quantity):
    for product in products:
        env["stock.quant"]._update_available_quantity(product, location, quantity)


def draft_order(env, pool, product, quantity):
    """A quotation of ``quantity`` ``product`` on ``pool``'s channel, shipped from its
    first warehouse."""
    from odoo import Command  # importable once the registry fixture set Odoo up

    return env["sale.order"].create(
        {
            "partner_id": env.ref("omni_demo.demo_customers_1").id,
            "team_id": pool.channel_ids.id,
            "warehouse_id": pool.warehouse_ids.sorted("id")[0].id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": quantity})],
        }
    )


def confirm_once_committed(order, cr_holder):
    """Confirm ``order`` in another thread while the transaction of ``cr_holder`` holds
    its products, check that it waits, commit that transaction, and return how the
    confirmation ended: confirmed, refused (out of stock), retry (a serialization
    failure for Odoo to retry) or the message of another error."""
    from odoo.exceptions import UserError  # importable once the registry fixture set Odoo up

    outcome = {}

    def confirm():
        try:
            order.action_confirm()
            outcome["result"] = "confirmed"
        except UserError as error:
            refused = "available to sell in pool" in str(error)
            outcome["result"] = "refused" if refused else str(error)
        except SerializationFailure:
            outcome["result"] = "retry"

    racer = threading.Thread(target=confirm)
    racer.start()
    racer.join(1.0)
    assert racer.is_alive(), "the order waits for the transaction holding its products"
    cr_holder.commit()
    racer.join(10)
    return outcome.get("result")


def publish(cr):
    """Queue what the transaction changed, as it does when it commits, and publish the
    queue from it, as the scheduled action would."""
    cr.flush()
    odoo_session.environment(cr)["omni.stock.pool"]._ats_publish_queue()


def test_feed_never_misses_a_change_committed_late(registry):
    """Two publishers: one publishes a change, a later one publishes another and
    commits first, the feed reads in between: the late commit still reaches the next
    read."""
    with registry.cursor() as cr_feed, registry.cursor() as cr_slow, registry.cursor() as cr_fast:
        feed_env = odoo_session.environment(cr_feed)
        pool = pool_of(feed_env, "web")
        (slow_product, fast_product), _ats = products_with_ats(feed_env, pool, 2, 5)
        location = pool.warehouse_ids.sorted("id")[0].lot_stock_id
        slow_sku, fast_sku = slow_product.default_code, fast_product.default_code
        feed = feed_env["omni.stock.pool.ats"]
        feed_env["omni.stock.pool"]._cron_publish_ats_queue()  # what earlier tests left
        cr_feed.commit()  # a feed read in the publishing transaction would see it again
        cursor = feed._feed(pool)["cursor"]
        cr_feed.commit()

        slow_env, fast_env = odoo_session.environment(cr_slow), odoo_session.environment(cr_fast)
        add_stock(slow_env, slow_product.with_env(slow_env), location.with_env(slow_env), 1)
        publish(cr_slow)  # with the smaller sequence value, not committed
        # (nothing below may read through the ORM between a commit of cr_feed and its
        # next read: that would start its next transaction, and snapshot, too early)
        add_stock(fast_env, fast_product.with_env(fast_env), location.with_env(fast_env), 1)
        publish(cr_fast)
        cr_fast.commit()
        try:
            first = feed._feed(pool, since=cursor)
            cr_feed.commit()
            assert [item["sku"] for item in first["items"]] == [fast_sku]
            cr_slow.commit()
            second = feed._feed(pool, since=first["cursor"])
            cr_feed.commit()
            assert [item["sku"] for item in second["items"]] == [slow_sku]
        finally:
            cr_slow.rollback()
            cleanup_env = odoo_session.environment(cr_fast)
            add_stock(
                cleanup_env,
                (slow_product | fast_product).with_env(cleanup_env),
                location.with_env(cleanup_env),
                -1,
            )
            cr_fast.commit()


def test_two_orders_never_sell_the_last_units_twice(registry):
    """Two salespeople confirm orders for the last units of a blocking pool at the
    same time: the second waits for the first, then must start again, and is refused."""
    from odoo.exceptions import UserError  # importable once the registry fixture set Odoo up

    with registry.cursor() as cr_first, registry.cursor() as cr_second:
        first_env = odoo_session.environment(cr_first)
        pool = pool_of(first_env, "marketplace")
        assert pool.block_oversell
        (product,), ats = products_with_ats(first_env, pool, 1, 1)
        quantity = ats[product.id]
        first = draft_order(first_env, pool, product, quantity)
        second_env = odoo_session.environment(cr_second)
        second = draft_order(second_env, pool, product, quantity)
        first.action_confirm()  # holds the product's published ATS until it commits
        assert confirm_once_committed(second, cr_first) == "retry"
        cr_second.rollback()

        try:
            retry_env = odoo_session.environment(cr_second)
            with pytest.raises(UserError, match="available to sell in pool"):
                draft_order(retry_env, pool, product, quantity).action_confirm()
            cr_second.rollback()
        finally:
            first = first.with_env(odoo_session.environment(cr_first))
            first._action_cancel()
            first.unlink()
            cr_first.commit()


@pytest.mark.parametrize("both_take_all", [True, False], ids=["refused", "confirmed"])
def test_a_seller_that_wrote_nothing_checks_again_at_once(registry, both_take_all):
    """The second order was saved before: its confirmation has written nothing when it
    waits for the first seller, so it reads the pool again on a newer snapshot as soon
    as the first commits (no failure for Odoo to retry), and sees the first sale: after
    the first took the whole ATS, the same is refused; after one unit, one more is
    sold."""
    with registry.cursor() as cr_first, registry.cursor() as cr_second:
        first_env = odoo_session.environment(cr_first)
        second_env = odoo_session.environment(cr_second)
        pool = pool_of(first_env, "marketplace")
        (product,), ats = products_with_ats(first_env, pool, 1, 2)
        ordered = ats[product.id] if both_take_all else 1
        second = draft_order(second_env, pool, product, ordered)
        cr_second.commit()
        first = draft_order(first_env, pool, product, ordered)
        first.action_confirm()  # holds the product's selling row until it commits
        try:
            outcome = confirm_once_committed(second, cr_first)
            assert outcome == ("refused" if both_take_all else "confirmed")
            cr_second.commit()
        finally:
            cr_second.rollback()
            for sold in (first.with_env(first_env), second.with_env(second_env)):
                sold._action_cancel()
                sold.unlink()
                sold.env.cr.commit()
