from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CostCommon


@tagged("post_install", "-at_install")
class TestCostOrders(CostCommon):
    def test_order_shipped_from_a_warehouse(self):
        """2 Lamps and a Rug from CDC, walked 120 m, packed in one box, label 7.50.

        Picking: 120 m / 60 = 2 min + (2 lines x 20 s + 3 units x 6 s) = 58 s, so
        2.9667 min at 30/h = 1.48. Packing: 90 s at 30/h = 0.75 + box 0.80 = 1.55.
        Fees: 3 % of 200 + 0.30 = 6.30. Total 7.50 + 1.48 + 1.55 + 6.30 = 16.83.
        Margin: 200 - 80 (cost of goods) - 16.83 = 103.17."""
        order = self.order([(self.lamp, 2), (self.rug, 1)])
        self.ship(self.picking_of(order, self.dc), 120.0, self.box, price=7.5)
        cost = self.cost(order)
        self.assertEqual(
            self.by_component(cost),
            {
                "carrier": 7.5,
                "picking": 1.48,
                "packing": 1.55,
                "store": 0.0,
                "returns": 0.0,
                "channel_fee": 6.3,
            },
        )
        self.assertAlmostEqual(cost.amount_total, 16.83)
        self.assertEqual(cost.state, "costed")
        self.assertEqual(cost.carrier_state, "estimated")
        self.assertEqual(cost.warehouse_id, self.dc)
        self.assertEqual(cost.carrier_id, self.carrier)
        self.assertAlmostEqual(cost.revenue, 200.0)
        self.assertAlmostEqual(cost.cogs, 80.0)
        self.assertAlmostEqual(cost.margin, 103.17)
        self.assertAlmostEqual(cost.cost_per_unit, 5.61)
        self.assertFalse(cost.split)
        # Posted on the fulfilment plan: one analytic line per posting, costs negative.
        analytic = self.env["account.analytic.line"].search([("omni_order_id", "=", order.id)])
        self.assertEqual(len(analytic), 4)
        self.assertAlmostEqual(sum(analytic.mapped("amount")), -16.83)
        plan = self.env.ref("omni_cost.account_analytic_plan_fulfilment")
        accounts = analytic.mapped(plan._column_name())
        self.assertEqual(
            set(accounts.mapped("display_name")),
            {
                self.dc.omni_cost_analytic_account_id.display_name,
                self.carrier.omni_cost_analytic_account_id.display_name,
                self.channel.omni_cost_analytic_account_id.display_name,
            },
        )
        self.assertEqual(accounts.root_plan_id, plan)
        carrier_line = analytic.filtered(lambda line: line.omni_component == "carrier")
        self.assertEqual(carrier_line.omni_carrier_id, self.carrier)
        self.assertEqual(carrier_line.omni_cost_state, "estimated")
        self.assertAlmostEqual(carrier_line.amount, -7.5)
        self.assertEqual(carrier_line.name, f"{order.name} - Carrier")

    def test_order_shipped_from_a_store(self):
        """A Lamp shipped by CST: 10 min at 24/h = 4.00, label 6.00, fees 1.50 + 0.30."""
        order = self.order([(self.lamp, 1)], warehouse=self.store)
        self.ship(self.picking_of(order, self.store), price=6.0)
        cost = self.cost(order)
        self.assertEqual(
            self.by_component(cost),
            {
                "carrier": 6.0,
                "picking": 0.0,
                "packing": 0.0,
                "store": 4.0,
                "returns": 0.0,
                "channel_fee": 1.8,
            },
        )
        self.assertAlmostEqual(cost.amount_total, 11.8)
        self.assertTrue(cost.is_store)

    def test_order_split_over_two_places(self):
        """The Lamp from CDC (60 m, label 5.00), the Rug from CD2 (100 m, label 9.00).

        CDC: 1 min + 26 s = 1.4333 min at 30/h = 0.72, packing 90 s = 0.75.
        CD2: 2 min + 30 s = 2.5 min at 36/h = 1.50, packing 60 s = 0.60.
        Fees 3 % of 150 + 0.30 = 4.80. Total 14.00 + 0.72 + 0.75 + 1.50 + 0.60 + 4.80."""
        order = self.order([(self.lamp, 1, self.dc), (self.rug, 1, self.dc2)])
        self.ship(self.picking_of(order, self.dc), 60.0, price=5.0)
        self.ship(self.picking_of(order, self.dc2), 100.0, price=9.0)
        cost = self.cost(order)
        self.assertEqual(
            self.by_component(cost),
            {
                "carrier": 14.0,
                "picking": 2.22,
                "packing": 1.35,
                "store": 0.0,
                "returns": 0.0,
                "channel_fee": 4.8,
            },
        )
        self.assertAlmostEqual(cost.amount_total, 22.37)
        self.assertTrue(cost.split)
        by_place = {
            warehouse: sum(lines.mapped("amount"))
            for warehouse, lines in self.postings(order)
            .filtered(lambda line: line.component in ("picking", "packing"))
            .grouped("warehouse_id")
            .items()
        }
        self.assertAlmostEqual(by_place[self.dc], 1.47)
        self.assertAlmostEqual(by_place[self.dc2], 2.10)

    def test_click_and_collect(self):
        """2 Lamps collected at CST: 10 min at 24/h = 4.00, no carrier, fees 3.00 + 0.30."""
        order = self.order(
            [(self.lamp, 2)], warehouse=self.store, omni_pickup_store_id=self.store.id
        )
        self.ship(self.picking_of(order, self.store))
        cost = self.cost(order)
        self.assertEqual(
            self.by_component(cost),
            {
                "carrier": 0.0,
                "picking": 0.0,
                "packing": 0.0,
                "store": 4.0,
                "returns": 0.0,
                "channel_fee": 3.3,
            },
        )
        self.assertEqual(cost.carrier_state, "none")
        self.assertAlmostEqual(cost.margin, 100.0 - 40.0 - 7.3)

    def test_measured_operator_time(self):
        """Picked in a wave started at 10:00, its line picked at 10:03: 3 minutes of
        operator time at 30/h = 1.50 replace the standard times."""
        order = self.order([(self.lamp, 1)])
        picking = self.picking_of(order, self.dc)
        picking.action_assign()
        picking.batch_id = self.env["stock.picking.batch"].create(
            {
                "is_wave": True,
                "picking_type_id": picking.picking_type_id.id,
                "omni_start_date": "2026-01-05 10:00:00",
            }
        )
        self.ship(picking, 60.0, price=5.0)
        picking.move_line_ids.write(
            {"omni_picked_date": "2026-01-05 10:03:00", "omni_picker_id": self.user_operator.id}
        )
        cost = self.cost(order)
        self.assertAlmostEqual(cost.amount_picking, 1.5)
        picking_line = self.postings(order).filtered(lambda line: line.component == "picking")
        self.assertAlmostEqual(picking_line.minutes, 3.0)

    def test_rerun_is_idempotent(self):
        order = self.order([(self.lamp, 2), (self.rug, 1)])
        self.ship(self.picking_of(order, self.dc), 120.0, self.box, price=7.5)
        self.cost(order)
        postings = self.postings(order)
        Analytic = self.env["account.analytic.line"]
        analytic = Analytic.search([("omni_order_id", "=", order.id)])
        self.cost(order)
        Service = self.env["omni.cost.service"]
        Service._cron_cost_orders()
        self.assertEqual(self.postings(order), postings)
        self.assertEqual(Analytic.search([("omni_order_id", "=", order.id)]), analytic)
        self.assertAlmostEqual(self.cost(order).amount_total, 16.83)
        # The nightly batch run again posts nothing, for any order.
        count = self.env["omni.order.cost.line"].search_count([])
        analytic_count = Analytic.search_count([])
        Service._cron_cost_orders()
        self.assertEqual(self.env["omni.order.cost.line"].search_count([]), count)
        self.assertEqual(Analytic.search_count([]), analytic_count)

    def test_changed_rate_posts_the_difference(self):
        """The labour rate of CDC goes from 30 to 60/h: picking and packing labour
        double (1.48 -> 2.97 and 0.75 -> 1.50); only the differences are posted."""
        order = self.order([(self.lamp, 2), (self.rug, 1)])
        self.ship(self.picking_of(order, self.dc), 120.0, self.box, price=7.5)
        self.cost(order)
        self.dc.omni_cost_labour_rate = 60.0
        cost = self.cost(order)
        self.assertAlmostEqual(cost.amount_picking, 2.97)
        self.assertAlmostEqual(cost.amount_packing, 2.3)
        new = self.postings(order).sorted("id")[-2:]
        self.assertEqual(
            sorted(new.mapped("amount")), [0.75, 1.49], "only the differences are posted"
        )

    def test_cancelled_order_reverses_what_was_posted(self):
        order = self.order([(self.lamp, 2), (self.rug, 1)])
        self.ship(self.picking_of(order, self.dc), 120.0, self.box, price=7.5)
        self.cost(order)
        order.with_context(disable_cancel_warning=True)._action_cancel()
        self.assertEqual(order.state, "cancel")
        cost = self.cost(order)
        self.assertEqual(cost.state, "cancelled")
        self.assertAlmostEqual(cost.amount_total, 0.0)
        postings = self.postings(order)
        self.assertEqual(len(postings), 8, "4 postings and their 4 reversals")
        self.assertAlmostEqual(sum(postings.mapped("amount")), 0.0)
        analytic = self.env["account.analytic.line"].search([("omni_order_id", "=", order.id)])
        self.assertAlmostEqual(sum(analytic.mapped("amount")), 0.0)
        self.assertEqual(len(postings.filtered("is_reversal")), 4)

    def test_relabelled_order_reverses_the_old_label(self):
        """The 7.50 label is cancelled and the parcel re-routed to another label at 6.20:
        the old label's cost is reversed, the new one posted."""
        order = self.order([(self.lamp, 2), (self.rug, 1)])
        picking = self.picking_of(order, self.dc)
        old = self.ship(picking, 120.0, self.box, price=7.5)
        self.cost(order)
        old.sudo().write({"state": "cancelled"})
        self.env.flush_all()
        new = self.label(picking, 6.2)
        cost = self.cost(order)
        self.assertAlmostEqual(cost.amount_carrier, 6.2)
        carrier = self.postings(order).filtered(lambda line: line.component == "carrier")
        self.assertEqual(
            sorted((line.source_id, line.amount) for line in carrier),
            sorted([(old.id, 7.5), (old.id, -7.5), (new.id, 6.2)]),
        )

    def test_missing_rates(self):
        """An order from a warehouse without labour rate is not half-costed: the
        button says which warehouse to set, the nightly batch marks it."""
        self.dc2.omni_cost_labour_rate = 0.0
        order = self.order([(self.lamp, 1, self.dc), (self.rug, 1, self.dc2)])
        self.ship(self.picking_of(order, self.dc), 60.0, price=5.0)
        self.ship(self.picking_of(order, self.dc2), 100.0, price=9.0)
        with self.assertRaisesRegex(UserError, f"{order.name}: Cost DC2 has no labour rate"):
            order.action_omni_compute_cost()
        cost = self.cost(order)
        self.assertEqual(cost.state, "missing_rates")
        self.assertIn("Cost DC2", cost.note)
        self.assertFalse(self.postings(order))

    def test_multi_currency_label(self):
        """A label quoted 10.00 in a currency worth half the company's: 5.00."""
        order = self.order([(self.lamp, 1)], warehouse=self.store)
        self.ship(self.picking_of(order, self.store), price=10.0, currency=self.other_currency)
        cost = self.cost(order)
        self.assertAlmostEqual(cost.amount_carrier, 5.0)

    def test_sale_order_button(self):
        order = self.order([(self.lamp, 1)], warehouse=self.store)
        self.ship(self.picking_of(order, self.store), price=6.0)
        action = order.with_user(self.user_manager).action_omni_compute_cost()
        self.assertEqual(action["res_model"], "omni.order.cost.line")
        self.assertAlmostEqual(order.omni_cost_total, 11.8)
        lines = self.env["omni.order.cost.line"].search(action["domain"])
        self.assertEqual(set(lines.mapped("component")), {"carrier", "store", "channel_fee"})
