from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..models.sale_order import PEAK_ROUTING_LOCK
from .routing_common import RoutingCommon


@tagged("post_install", "-at_install")
class TestPeakMode(RoutingCommon):
    """A web channel in peak mode selling a pool over the three French warehouses that
    blocks overselling: confirmation reserves, background batches route."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel.omni_peak_mode = True
        cls.pool = cls.env["omni.stock.pool"].create(
            {
                "name": "Peak pool",
                "warehouse_ids": [Command.set(cls.warehouses.ids)],
                "channel_ids": [Command.set(cls.channel.ids)],
                "block_oversell": True,
            }
        )
        cls.crons = cls.env.ref("omni_oms.sale_order_cron_omni_route_queued") | cls.env.ref(
            "omni_oms.sale_order_cron_omni_launch_planned"
        )

    def ats(self, product):
        return self.pool._get_ats(product).get(product.id, 0.0)

    def route_batch(self, batch_size=100):
        """Route a batch of queued orders, then create the transfers of a batch of
        routed ones; return how many orders were routed."""
        Order = self.env["sale.order"]
        routed = Order._cron_omni_route_queued(batch_size=batch_size) if self.queued() else 0
        Order._cron_omni_launch_planned(batch_size=batch_size)
        return routed

    def queued(self):
        return self.env["sale.order"].search_count([("omni_routing_state", "=", "queued")])

    def test_confirmation_reserves_and_queues(self):
        self.add_stock(self.shirt, self.paris, 3)
        self.env["ir.cron.trigger"].search([("cron_id", "in", self.crons.ids)]).unlink()
        order = self.make_order([(self.shirt, 2)])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.omni_routing_state, "queued")
        self.assertFalse(order.picking_ids)
        self.assertFalse(order.omni_allocation_ids)
        self.assertFalse(order.omni_decision_ids)
        # promised by the batch routing it
        self.assertFalse(order.omni_promise_kind)
        # 3 on hand, 2 promised to the queued order
        self.assertEqual(self.ats(self.shirt), 1)
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "in", self.crons.ids)])
        self.assertEqual(triggers.cron_id, self.crons)
        # the queued units are not sold twice
        refused = self.make_order([(self.shirt, 2)], confirm=False)
        with self.assertRaisesRegex(UserError, "Route Shirt: 2.0 Units ordered, 1.0 available"):
            refused.action_confirm()
        # nothing of the refused confirmation is left
        self.assertEqual(refused.state, "draft")
        self.assertEqual(refused.omni_routing_state, "none")
        self.assertEqual(self.ats(self.shirt), 1)

    def test_selling_and_background_routing_lock_apart(self):
        """Confirmation takes the products' selling locks only; the batch their routing
        locks only (the queued units are counted already)."""
        self.add_stock(self.shirt, self.paris, 2)
        locks = self.env["omni.routing.product.lock"]
        order = self.make_order([(self.shirt, 1)])
        self.assertEqual(locks.search([("product_id", "=", self.shirt.id)]).purpose, "sell")
        self.env["omni.routing.product.lock"].search([]).unlink()
        self.route_batch()
        self.assertEqual(order.omni_routing_state, "routed")
        self.assertEqual(locks.search([("product_id", "=", self.shirt.id)]).purpose, "route")

    def published(self, pool):
        self.env.cr.flush()
        self.env["omni.stock.pool"]._cron_publish_ats_queue()
        rows = self.env["omni.stock.pool.ats"].search([("pool_id", "=", pool.id)])
        return {row.product_id: row.qty_ats for row in rows}

    def test_batch_routes_and_creates_transfers(self):
        self.add_stock(self.shirt, self.lyon, 4)
        self.add_stock(self.lamp, self.paris, 1)
        # another channel's pool over Lyon: the queued order is not its own
        lyon_pool = self.env["omni.stock.pool"].create(
            {"name": "Lyon pool", "warehouse_ids": [Command.set(self.lyon.ids)]}
        )
        order = self.make_order([(self.shirt, 2), (self.lamp, 1)])
        self.assertEqual(self.published(lyon_pool), {self.shirt: 4})
        self.assertEqual(self.route_batch(), 1)
        self.assertEqual(order.omni_routing_state, "routed")
        self.assertEqual(
            self.shipped_from(order), {(self.shirt, self.lyon): 2, (self.lamp, self.paris): 1}
        )
        self.assertEqual(order.omni_allocation_ids.mapped("state"), ["procured", "procured"])
        self.assertEqual(order.omni_decision_ids.reason, "Routed in the background (peak mode)")
        # promised (or told why not) by the batch
        self.assertEqual(order.omni_promise_kind, "delivery")
        self.assertTrue(order.omni_promise_date or order.omni_promise_note)
        # the reservation moved from the queued order to its transfers: 4 - 2
        self.assertEqual(self.ats(self.shirt), 2)
        self.assertEqual(self.ats(self.lamp), 0)
        # published again for every pool the transfers leave from
        self.assertEqual(self.published(self.pool), {self.shirt: 2, self.lamp: 0})
        self.assertEqual(self.published(lyon_pool), {self.shirt: 2})
        self.assertEqual(self.route_batch(), 0)
        self.assertEqual(len(order.omni_decision_ids), 1)

    def test_routing_then_transfers_in_separate_batches(self):
        """The routing batch chooses the locations and counts the units there; the
        transfers follow in a batch of their own. An order routed meanwhile does not
        take the units chosen for one whose transfers are not made yet."""
        self.add_stock(self.shirt, self.paris, 2)
        self.add_stock(self.shirt, self.lyon, 2)
        first = self.make_order([(self.shirt, 2)])
        Order = self.env["sale.order"]
        self.assertEqual(Order._cron_omni_route_queued(), 1)
        self.assertEqual(first.omni_routing_state, "planned")
        self.assertEqual(first.omni_allocation_ids.mapped("state"), ["planned"])
        self.assertEqual(first.omni_allocation_ids.warehouse_id, self.paris)
        self.assertFalse(first.picking_ids)
        self.assertEqual(self.ats(self.shirt), 2)
        by_warehouse = self.pool._get_ats_by_warehouse(self.shirt)
        self.assertEqual(by_warehouse.get((self.shirt.id, self.paris.id), 0), 0)
        self.assertEqual(by_warehouse[(self.shirt.id, self.lyon.id)], 2)
        second = self.make_order([(self.shirt, 2)])
        # the first action, nothing queued but the second order, routes it
        self.assertEqual(Order._cron_omni_route_queued(), 1)
        self.assertEqual(second.omni_allocation_ids.warehouse_id, self.lyon)
        self.assertEqual(self.ats(self.shirt), 0)
        # the second action creates the transfers of the oldest routed first
        self.assertEqual(Order._cron_omni_launch_planned(batch_size=1), 1)
        self.assertEqual(first.omni_routing_state, "routed")
        self.assertEqual(second.omni_routing_state, "planned")
        self.assertEqual(self.shipped_from(first), {(self.shirt, self.paris): 2})
        self.assertEqual(self.ats(self.shirt), 0)
        # nothing left to route: the first action creates transfers too
        self.assertEqual(Order._cron_omni_route_queued(), 1)
        self.assertEqual(self.shipped_from(second), {(self.shirt, self.lyon): 2})
        self.assertEqual(self.ats(self.shirt), 0)
        self.assertEqual(Order._cron_omni_route_queued(), 0)
        self.assertEqual(Order._cron_omni_launch_planned(), 0)

    def test_stock_lost_between_routing_and_transfers(self):
        self.add_stock(self.shirt, self.paris, 2)
        order = self.make_order([(self.shirt, 2)])
        self.env["sale.order"]._cron_omni_route_queued()
        self.assertEqual(order.omni_routing_state, "planned")
        self.add_stock(self.shirt, self.paris, -2)
        self.env["sale.order"]._cron_omni_launch_planned()
        self.assertEqual(order.omni_routing_state, "held")
        self.assertIn("cannot be confirmed", order.omni_hold_reason)
        self.assertFalse(order.picking_ids)
        self.assertFalse(order.omni_allocation_ids.filtered(lambda a: a.state == "planned"))
        # its units stay counted: nobody else is sold them when stock comes back
        self.add_stock(self.shirt, self.lyon, 2)
        self.assertEqual(self.ats(self.shirt), 0)

    def test_one_transaction_routes_at_a_time(self):
        """While another transaction routes a batch, routing takes none (it would
        wait for the same products' locks)."""
        self.add_stock(self.shirt, self.paris, 1)
        order = self.make_order([(self.shirt, 1)])
        Order = self.env["sale.order"]
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s)", [PEAK_ROUTING_LOCK])
            self.assertEqual(Order._omni_peak_step("route"), 0)
            self.assertEqual(order.omni_routing_state, "queued")
            other.rollback()
        self.assertEqual(Order._omni_peak_step("route"), 1)
        self.assertEqual(order.omni_routing_state, "planned")

    def test_routed_on_the_stock_of_the_batch(self):
        """Stock moved between confirmation and the batch: the order ships from where
        the stock is now."""
        self.add_stock(self.shirt, self.paris, 2)
        order = self.make_order([(self.shirt, 2)])
        self.add_stock(self.shirt, self.paris, -2)
        self.add_stock(self.shirt, self.marseille, 2)
        self.route_batch()
        self.assertEqual(order.omni_routing_state, "routed")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.marseille): 2})

    def test_held_with_a_reason_keeps_its_reservation(self):
        self.add_stock(self.shirt, self.paris, 2)
        order = self.make_order([(self.shirt, 2)])
        self.add_stock(self.shirt, self.paris, -2)  # lost before the batch
        self.route_batch()
        self.assertEqual(order.omni_routing_state, "held")
        self.assertEqual(order.omni_hold_reason, "No candidate location can ship this order.")
        self.assertFalse(order.picking_ids)
        self.assertEqual(self.ats(self.shirt), 0)
        # nobody else is promised the units the held order waits for
        self.add_stock(self.shirt, self.lyon, 2)
        self.assertEqual(self.ats(self.shirt), 0)
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            self.make_order([(self.shirt, 1)])
        self.env["sale.order"]._cron_omni_route_held()
        self.assertEqual(order.omni_routing_state, "routed")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.lyon): 2})

    def test_stock_taken_by_another_channel_meanwhile(self):
        """A channel without a pool ships one of the two units before the batch: the
        queued order is held with the reason, nothing is sent out for it."""
        self.add_stock(self.shirt, self.paris, 2)
        order = self.make_order([(self.shirt, 2)])
        phone = self.env["crm.team"].create({"name": "Route Phone"})
        other = self.make_order([(self.shirt, 1)], team_id=phone.id)
        self.assertEqual(other.omni_routing_state, "routed")
        self.route_batch()
        self.assertEqual(order.omni_routing_state, "held")
        self.assertEqual(
            order.omni_hold_reason, "The candidate locations cannot ship all of this order."
        )
        self.assertFalse(order.picking_ids)

    def test_batches_take_the_oldest_orders(self):
        self.add_stock(self.shirt, self.paris, 10)
        orders = self.env["sale.order"].union(
            *(self.make_order([(self.shirt, 1)]) for _index in range(3))
        )
        self.assertEqual(self.route_batch(batch_size=2), 2)
        self.assertEqual(orders.mapped("omni_routing_state"), ["routed", "routed", "queued"])
        self.assertEqual(self.route_batch(batch_size=2), 1)
        self.assertEqual(set(orders.mapped("omni_routing_state")), {"routed"})
        self.assertEqual([len(order.omni_decision_ids) for order in orders], [1, 1, 1])
        self.assertEqual([len(order.picking_ids) for order in orders], [1, 1, 1])

    def test_click_and_collect_and_unrouted_orders_get_their_transfers(self):
        """Orders no rule applies to are queued too, and sourced the standard way."""
        self.rule.team_ids = self.env["crm.team"].create({"name": "Route Elsewhere"})
        self.add_stock(self.shirt, self.lyon, 1)
        order = self.make_order([(self.shirt, 1)], warehouse_id=self.lyon.id)
        self.assertEqual(order.omni_routing_state, "queued")
        self.route_batch()
        self.assertEqual(order.omni_routing_state, "none")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.lyon): 1})

    def test_channel_out_of_peak_mode_routes_at_confirmation(self):
        self.channel.omni_peak_mode = False
        self.add_stock(self.shirt, self.paris, 1)
        order = self.make_order([(self.shirt, 1)])
        self.assertEqual(order.omni_routing_state, "routed")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.paris): 1})

    def test_company_in_peak_mode(self):
        """Peak mode for every channel of the company, set in the settings."""
        self.channel.omni_peak_mode = False
        settings = self.env["res.config.settings"].create({"omni_peak_mode": True})
        settings.execute()
        self.assertTrue(self.env.company.omni_peak_mode)
        self.add_stock(self.shirt, self.paris, 2)
        order = self.make_order([(self.shirt, 1)])
        phone = self.make_order(
            [(self.shirt, 1)], team_id=self.env["crm.team"].create({"name": "Route Phone"}).id
        )
        self.assertEqual(order.omni_routing_state, "queued")
        self.assertEqual(phone.omni_routing_state, "queued")
        self.route_batch()
        self.assertEqual(order.omni_routing_state, "routed")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.paris): 1})
        self.assertEqual(phone.picking_ids.picking_type_id.warehouse_id, self.paris)
        self.env.company.omni_peak_mode = False
        self.add_stock(self.shirt, self.lyon, 1)
        later = self.make_order([(self.shirt, 1)])
        self.assertEqual(later.omni_routing_state, "routed")
        self.assertEqual(self.shipped_from(later), {(self.shirt, self.lyon): 1})

    def test_transfers_after_the_peak(self):
        """Orders are routed as they come; their transfers wait until the company
        turns the hold off, which wakes the scheduled actions up."""
        self.env.company.omni_peak_hold_transfers = True
        self.add_stock(self.shirt, self.paris, 3)
        order = self.make_order([(self.shirt, 2)])
        self.assertEqual(self.route_batch(), 1)
        self.assertEqual(order.omni_routing_state, "planned")
        self.assertFalse(order.picking_ids)
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": self.crons[1].id, "done": 0, "remaining": 0}
        )
        Order = self.env["sale.order"].with_context(ir_cron_progress_id=progress.id)
        self.assertEqual(Order._cron_omni_launch_planned(), 0)
        self.assertEqual(progress.remaining, 0, "waiting for the end of the peak: not to run again")
        self.assertEqual(self.ats(self.shirt), 1)
        Trigger = self.env["ir.cron.trigger"]
        Trigger.search([("cron_id", "in", self.crons.ids)]).unlink()
        self.env.company.omni_peak_hold_transfers = False
        self.assertEqual(Trigger.search([("cron_id", "in", self.crons.ids)]).cron_id, self.crons)
        self.assertEqual(self.env["sale.order"]._cron_omni_launch_planned(), 1)
        self.assertEqual(order.omni_routing_state, "routed")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.paris): 2})
        self.assertEqual(self.ats(self.shirt), 1)

    def test_routing_batch_lets_orders_gather(self):
        """Run by the scheduler, a routing batch waits for the orders coming in one by
        one until the oldest queued has waited the routing window, or a batch is full."""
        Order = self.env["sale.order"]
        self.env["ir.config_parameter"].set_param("omni_oms.peak_routing_window_ms", "2000")
        self.assertEqual(Order._omni_peak_routing_wait(10), 0, "nothing queued")
        self.add_stock(self.shirt, self.paris, 5)
        order = self.make_order([(self.shirt, 1)])
        self.assertAlmostEqual(Order._omni_peak_routing_wait(10), 2, delta=0.5)
        self.assertEqual(Order._omni_peak_routing_wait(1), 0, "a full batch goes at once")
        order.date_order = fields.Datetime.now() - timedelta(seconds=5)
        self.assertEqual(Order._omni_peak_routing_wait(10), 0, "the oldest waited enough")
        self.env["ir.config_parameter"].set_param("omni_oms.peak_routing_window_ms", "0")
        order.date_order = fields.Datetime.now()
        self.assertEqual(Order._omni_peak_routing_wait(10), 0, "no window")

    def test_salesman_confirms_in_peak_mode(self):
        salesman = new_test_user(
            self.env, login="peak_salesman", groups="sales_team.group_sale_salesman"
        )
        self.add_stock(self.shirt, self.paris, 1)
        order = self.make_order([(self.shirt, 1)], confirm=False, user_id=salesman.id)
        order.with_user(salesman).action_confirm()
        self.assertEqual(order.omni_routing_state, "queued")
        self.route_batch()
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.paris): 1})

    def test_cancelled_while_queued(self):
        self.add_stock(self.shirt, self.paris, 1)
        order = self.make_order([(self.shirt, 1)])
        order._action_cancel()
        self.assertEqual(self.ats(self.shirt), 1)
        self.assertEqual(self.route_batch(), 0)
        self.assertFalse(order.picking_ids)
