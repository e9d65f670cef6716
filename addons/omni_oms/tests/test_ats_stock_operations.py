from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors as pg_errors

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import AtsCommon


@tagged("post_install", "-at_install")
class TestAtsStockOperations(AtsCommon):
    """The ATS the channels read follows every stock operation, in the transaction
    that makes it (published when it commits: ``published`` runs that step)."""

    def setUp(self):
        super().setUp()
        self.add_stock(self.sneaker, self.dc, 10)
        self.add_stock(self.sneaker, self.store, 2)

    def row(self, product):
        self.publish_ats()
        return self.env["omni.stock.pool.ats"].search(
            [("pool_id", "=", self.pool.id), ("product_id", "=", product.id)]
        )

    def test_receipt(self):
        self.assertEqual(self.published(self.sneaker), 12)
        receipt = self.receipt(self.dc, [(self.sneaker, 5)])
        self.assertEqual(self.published(self.sneaker), 12, "not received yet, no horizon")
        self.validate(receipt)
        self.assertEqual(self.published(self.sneaker), 17)

    def test_order_delivery_and_cancellation(self):
        order = self.sale_order([(self.sneaker, 3)])
        order.action_confirm()
        self.assertEqual(self.published(self.sneaker), 9, "sold: no longer available")
        delivery = order.picking_ids
        self.validate(delivery)
        self.assertEqual(self.published(self.sneaker), 9, "shipped: still sold")
        self.assertEqual(self.row(self.sneaker).qty_on_hand, 9)
        other = self.sale_order([(self.sneaker, 4)])
        other.action_confirm()
        self.assertEqual(self.published(self.sneaker), 5)
        other._action_cancel()
        self.assertEqual(self.published(self.sneaker), 9, "cancelled: available again")

    def queued(self):
        self.env.cr.flush()
        self.env.cr.execute(
            "SELECT product_id, company_id, pool_id FROM omni_stock_pool_ats_queue ORDER BY id"
        )
        return self.env.cr.fetchall()

    def test_changes_queued_at_the_commit_and_published_in_the_background(self):
        """A sale queues its products as it commits, which wakes the publication up;
        the channels see the change once the queue is published, and the queue is
        then empty."""
        self.assertEqual(self.published(self.sneaker), 12)
        cron = self.env.ref("omni_oms.omni_stock_pool_cron_publish_ats")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        seller = new_test_user(self.env, "ats_seller", "sales_team.group_sale_salesman")
        order = self.sale_order([(self.sneaker, 3)], user_id=seller.id)
        order.with_user(seller).action_confirm()
        self.assertEqual(self.queued(), [(self.sneaker.id, self.env.company.id, None)])
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            len(triggers),
            "the publication is woken up",
        )
        row = self.env["omni.stock.pool.ats"].search(
            [("pool_id", "=", self.pool.id), ("product_id", "=", self.sneaker.id)]
        )
        self.assertEqual(row.qty_ats, 12, "not published yet")
        self.env["omni.stock.pool"]._cron_publish_ats_queue()
        self.assertEqual(self.queued(), [])
        self.assertEqual(self.published(self.sneaker), 9)

    def test_a_change_of_channel_queued_for_confirmed_orders_only(self):
        """A quotation counts in no pool: moving it to another channel queues nothing.
        A confirmed order counts in its channel's pool, by its channel, when it ships
        from outside the pool or waits for routing (peak mode): moving it queues its
        products, and the pool gets its units back."""
        phone = self.env["crm.team"].create(
            {"name": "ATS Phone", "company_id": self.env.company.id}
        )
        quotation = self.sale_order([(self.sneaker, 1)])
        self.publish_ats()
        quotation.team_id = phone
        self.assertEqual(self.queued(), [])
        self.add_stock(self.sneaker, self.outside, 5)
        from_outside = self.sale_order([(self.sneaker, 2)], warehouse=self.outside)
        from_outside.action_confirm()
        self.assertEqual(self.published(self.sneaker), 10)
        from_outside.team_id = phone
        self.assertEqual(self.queued(), [(self.sneaker.id, self.env.company.id, None)])
        self.assertEqual(self.published(self.sneaker), 12)
        self.channel.omni_peak_mode = True
        queued = self.sale_order([(self.sneaker, 3)])
        queued.action_confirm()
        self.assertEqual(queued.omni_routing_state, "queued")
        self.assertEqual(self.published(self.sneaker), 9)
        queued.team_id = phone
        self.assertEqual(self.queued(), [(self.sneaker.id, self.env.company.id, None)])
        self.assertEqual(self.published(self.sneaker), 12)

    def test_pool_changed_queued_whole(self):
        self.assertEqual(self.published(self.sneaker), 12)
        self.pool.warehouse_ids -= self.store
        self.assertEqual(self.queued(), [(None, None, self.pool.id)])
        self.assertEqual(self.published(self.sneaker), 10)

    def test_publication_taken_again_after_a_conflict(self):
        """Another publisher (the hourly refresh) wrote the same rows since the
        publication's snapshot: the queue is taken again, on a new snapshot."""
        self.add_stock(self.sneaker, self.dc, 1)
        self.queued()
        Pool = type(self.env["omni.stock.pool"])
        publish_queue = Pool._ats_publish_queue
        conflicts = []

        def conflicting_once(pools):
            if not conflicts:
                conflicts.append(True)
                raise pg_errors.SerializationFailure()
            return publish_queue(pools)

        # the test's transaction stands for the scheduler's: nothing to roll back
        with (
            patch.object(Pool, "_ats_publish_queue", conflicting_once),
            patch.object(self.env.cr, "rollback") as rollback,
        ):
            self.env["omni.stock.pool"]._cron_publish_ats_queue()
        self.assertEqual((conflicts, rollback.call_count), ([True], 1))
        self.assertEqual(self.row(self.sneaker).qty_ats, 13)

    def test_nothing_queued_without_an_active_pool(self):
        """Where no stock pool is active, a change of stock queues nothing and wakes no
        publication up; a pool made active again is published whole."""
        self.assertEqual(self.published(self.sneaker), 12)
        pools = self.env["omni.stock.pool"].search([])
        pools.action_archive()
        self.add_stock(self.sneaker, self.dc, 1)
        self.assertEqual(self.queued(), [])
        self.pool.action_unarchive()
        self.assertEqual(self.queued(), [(None, None, self.pool.id)])
        self.assertEqual(self.published(self.sneaker), 13)

    def test_publication_lets_changes_gather(self):
        """Run by the scheduler, the publication first waits until the oldest queued
        change has waited the publication window, then publishes what was queued
        meanwhile on a new snapshot."""
        Queue = self.env["omni.stock.pool.ats.queue"]
        self.assertEqual(self.published(self.sneaker), 12)
        self.assertEqual(Queue._gather_wait(2), 0, "nothing queued")
        self.add_stock(self.sneaker, self.dc, 1)
        self.queued()
        self.assertAlmostEqual(Queue._gather_wait(2), 2, delta=0.5)
        self.env.cr.execute(
            "UPDATE omni_stock_pool_ats_queue SET queued_at = queued_at - interval '5 seconds'"
        )
        self.assertEqual(Queue._gather_wait(2), 0, "the oldest waited enough")
        self.env.cr.execute(
            "UPDATE omni_stock_pool_ats_queue SET queued_at = clock_timestamp() AT TIME ZONE 'UTC'"
        )
        self.env["ir.config_parameter"].set_param("omni_oms.ats_publication_window_ms", "3000")
        # the test's transaction stands for the scheduler's: nothing to roll back
        with (
            patch.object(self.env.cr, "rollback") as rollback,
            patch("time.sleep") as sleep,
        ):
            self.env["omni.stock.pool"].with_context(cron_id=1)._cron_publish_ats_queue()
        self.assertEqual(rollback.call_count, 1)
        self.assertAlmostEqual(sleep.call_args.args[0], 3, delta=0.5)
        self.assertEqual(self.row(self.sneaker).qty_ats, 13)
        self.assertEqual(self.queued(), [])

    def test_reservation_and_unreservation(self):
        order = self.sale_order([(self.sneaker, 3)])
        order.action_confirm()
        delivery = order.picking_ids
        self.assertEqual(delivery.state, "assigned")
        self.assertEqual(self.row(self.sneaker).qty_reserved, 3)
        self.assertEqual(self.published(self.sneaker), 9)
        delivery.do_unreserve()
        self.assertEqual(self.row(self.sneaker).qty_reserved, 0)
        self.assertEqual(self.published(self.sneaker), 9, "the order still takes its units")
        delivery.action_assign()
        self.assertEqual(self.row(self.sneaker).qty_reserved, 3)
        self.assertEqual(self.published(self.sneaker), 9)

    def test_transfer_out_of_the_pool(self):
        transfer = self.make_picking(
            self.dc.int_type_id,
            self.dc.lot_stock_id,
            self.outside.lot_stock_id,
            [(self.sneaker, 4)],
        )
        self.assertEqual(self.published(self.sneaker), 8)
        transfer.do_unreserve()
        self.assertEqual(self.published(self.sneaker), 8)
        transfer.action_cancel()
        self.assertEqual(self.published(self.sneaker), 12)

    def test_return(self):
        order = self.sale_order([(self.sneaker, 5)])
        order.action_confirm()
        self.validate(order.picking_ids)
        self.assertEqual(self.published(self.sneaker), 7)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=order.picking_ids.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 2
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        self.assertEqual(self.published(self.sneaker), 7)
        self.validate(returned)
        self.assertEqual(self.published(self.sneaker), 9)

    def test_inventory_adjustment(self):
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.sneaker.id), ("location_id", "=", self.store.lot_stock_id.id)]
        )
        quant.with_context(inventory_mode=True).inventory_quantity = 7
        self.assertEqual(self.published(self.sneaker), 12, "counted, not applied yet")
        quant.action_apply_inventory()
        self.assertEqual(self.published(self.sneaker), 17)

    def test_incoming_enters_the_horizon_as_days_pass(self):
        self.pool.incoming_days = 5
        receipt = self.receipt(self.dc, [(self.sneaker, 6)], days=8)
        self.assertEqual(self.published(self.sneaker), 12)
        # three days later the receipt is expected within five days: move its date
        # back without the ORM, as the passing of time would
        self.env.cr.execute(
            "UPDATE stock_move SET date = %s WHERE id = ANY(%s)",
            [fields.Datetime.now() + timedelta(days=4), receipt.move_ids.ids],
        )
        self.env["stock.move"].invalidate_model(["date"])
        self.assertEqual(self.published(self.sneaker), 12, "nothing happened to the stock")
        self.env["omni.stock.pool"]._cron_refresh_ats()
        self.assertEqual(self.published(self.sneaker), 18)

    def sequences(self):
        self.publish_ats()
        self.env.cr.execute(
            "SELECT product_id, seq FROM omni_stock_pool_ats WHERE pool_id = %s", [self.pool.id]
        )
        return dict(self.env.cr.fetchall())

    def test_only_changed_products_are_republished(self):
        self.add_stock(self.lamp, self.dc, 3)
        before = self.sequences()
        self.add_stock(self.lamp, self.store, 1)
        after = self.sequences()
        self.assertEqual(after[self.sneaker.id], before[self.sneaker.id])
        self.assertGreater(after[self.lamp.id], before[self.lamp.id])

    def test_configuration_changes_are_published(self):
        self.assertEqual(self.published(self.sneaker), 12)
        buffer = self.env["omni.stock.pool.buffer"].create(
            {"pool_id": self.pool.id, "buffer_type": "fixed", "quantity": 2}
        )
        self.assertEqual(self.published(self.sneaker), 10)
        buffer.unlink()
        self.pool.warehouse_ids = self.dc
        self.assertEqual(self.published(self.sneaker), 10)
        self.sneaker.categ_id = self.categ_boots
        self.assertEqual(self.row(self.sneaker).categ_id, self.categ_boots)

    def test_archived_pool_publishes_nothing(self):
        self.assertEqual(self.published(self.sneaker), 12)
        self.pool.active = False
        self.assertIsNone(self.published(self.sneaker))
        self.add_stock(self.sneaker, self.dc, 1)
        self.assertIsNone(self.published(self.sneaker))
        self.pool.active = True
        self.assertEqual(self.published(self.sneaker), 13)
