from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .routing_common import RoutingCommon


@tagged("post_install", "-at_install")
class TestOmsRouting(RoutingCommon):
    def test_nearest_location_with_stock_ships(self):
        self.add_stock(self.shirt, self.paris, 5)
        self.add_stock(self.shirt, self.lyon, 5)
        order = self.make_order([(self.shirt, 2)])
        self.assertEqual(order.omni_routing_state, "routed")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.paris): 2})
        self.assertEqual(order.omni_allocation_ids.state, "procured")
        decision = order.omni_decision_ids
        self.assertEqual(decision.rule_id, self.rule)
        self.assertEqual(decision.shipments, 1)
        self.assertGreater(decision.duration_ms, 0)
        self.assertIn("Route Paris", decision.trace_html)
        self.assertIn("Route Marseille", decision.trace_html)

    def test_promise_and_routing_read_stock_and_rules_once(self):
        """A confirmation's promise and routing share what they both read: the pool's
        stock per warehouse and the rules of the order; each reads them outside."""
        self.env["omni.stock.pool"].create(
            {
                "name": "Route pool",
                "warehouse_ids": [Command.set(self.warehouses.ids)],
                "channel_ids": [Command.set(self.channel.ids)],
            }
        )
        self.add_stock(self.shirt, self.paris, 5)
        Pool, Rule = type(self.env["omni.stock.pool"]), type(self.env["omni.routing.rule"])
        with (
            patch.object(
                Pool,
                "_read_ats_by_warehouse",
                autospec=True,
                side_effect=Pool._read_ats_by_warehouse,
            ) as stock_reads,
            patch.object(
                Rule,
                "_read_rules_for_orders",
                autospec=True,
                side_effect=Rule._read_rules_for_orders,
            ) as rule_reads,
        ):
            order = self.make_order([(self.shirt, 2)])
            self.assertEqual((stock_reads.call_count, rule_reads.call_count), (1, 1))
            self.assertEqual(self.shipped_from(order), {(self.shirt, self.paris): 2})
            quotation = self.make_order([(self.shirt, 1)], confirm=False)
            quotation.action_omni_promise()
            quotation.action_omni_promise()
            self.assertEqual((stock_reads.call_count, rule_reads.call_count), (3, 3))

    def test_far_location_when_the_nearest_has_none(self):
        self.add_stock(self.shirt, self.marseille, 5)
        order = self.make_order([(self.shirt, 2)])
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.marseille): 2})
        paris = next(
            c
            for c in order.omni_decision_ids.trace["attempts"][0]["candidates"]
            if c["name"] == "Route Paris"
        )
        self.assertEqual(paris["outcome"], "None of the products in stock")

    def test_split_over_two_locations(self):
        self.add_stock(self.shirt, self.paris, 2)
        self.add_stock(self.lamp, self.lyon, 1)
        order = self.make_order([(self.shirt, 2), (self.lamp, 1)])
        self.assertEqual(
            self.shipped_from(order),
            {(self.shirt, self.paris): 2, (self.lamp, self.lyon): 1},
        )
        self.assertEqual(len(order.picking_ids), 2)

    def test_one_line_split_over_locations(self):
        self.add_stock(self.shirt, self.paris, 2)
        self.add_stock(self.shirt, self.lyon, 3)
        order = self.make_order([(self.shirt, 4)])
        self.assertEqual(
            self.shipped_from(order),
            {(self.shirt, self.paris): 2, (self.shirt, self.lyon): 2},
        )

    def test_whole_order_only(self):
        self.rule.whole_order_only = True
        self.add_stock(self.shirt, self.paris, 2)
        self.add_stock(self.shirt, self.marseille, 2)
        self.add_stock(self.lamp, self.marseille, 1)
        order = self.make_order([(self.shirt, 2), (self.lamp, 1)])
        self.assertEqual(
            self.shipped_from(order),
            {(self.shirt, self.marseille): 2, (self.lamp, self.marseille): 1},
        )

    def test_ship_together_lines_are_not_split(self):
        self.add_stock(self.shirt, self.paris, 2)
        self.add_stock(self.shirt, self.lyon, 2)
        self.add_stock(self.lamp, self.lyon, 1)
        order = self.make_order([(self.shirt, 2), (self.lamp, 1)], confirm=False)
        order.order_line.omni_ship_together = True
        order.action_confirm()
        self.assertEqual(
            self.shipped_from(order), {(self.shirt, self.lyon): 2, (self.lamp, self.lyon): 1}
        )

    def test_max_shipments_and_min_split_value(self):
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.shirt, self.lyon, 1)
        self.rule.write({"max_shipments": 1, "failure_action": "hold"})
        order = self.make_order([(self.shirt, 2)])
        self.assertEqual(order.omni_routing_state, "held")
        self.assertFalse(order.picking_ids)
        self.rule.write({"max_shipments": 0, "min_split_value": 100.0})
        order.action_omni_route()
        self.assertEqual(order.omni_routing_state, "held")
        lyon = next(
            c
            for c in self.latest_decision(order).trace["attempts"][0]["candidates"]
            if c["name"] == "Route Lyon"
        )
        self.assertIn("below the minimum split value", lyon["outcome"])

    def test_daily_capacity(self):
        self.paris.omni_daily_order_capacity = 1
        self.add_stock(self.shirt, self.paris, 10)
        self.add_stock(self.shirt, self.lyon, 10)
        first = self.make_order([(self.shirt, 1)])
        second = self.make_order([(self.shirt, 1)])
        self.assertEqual(self.shipped_from(first), {(self.shirt, self.paris): 1})
        self.assertEqual(self.shipped_from(second), {(self.shirt, self.lyon): 1})
        self.rule.respect_capacity = False
        third = self.make_order([(self.shirt, 1)])
        self.assertEqual(self.shipped_from(third), {(self.shirt, self.paris): 1})

    def test_orders_confirmed_together_share_the_stock(self):
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.shirt, self.lyon, 1)
        orders = self.make_order([(self.shirt, 1)], confirm=False) | self.make_order(
            [(self.shirt, 1)], confirm=False
        )
        orders.action_confirm()
        self.assertEqual(
            {warehouse for order in orders for (_p, warehouse) in self.shipped_from(order)},
            set(self.paris | self.lyon),
        )

    def test_max_distance(self):
        self.rule.max_distance_km = 300
        self.add_stock(self.shirt, self.marseille, 5)
        order = self.make_order([(self.shirt, 1)])
        self.assertEqual(order.omni_routing_state, "held")
        self.assertEqual(order.omni_hold_reason, "No candidate location can ship this order.")
        marseille = next(
            c
            for c in order.omni_decision_ids.trace["attempts"][0]["candidates"]
            if c["name"] == "Route Marseille"
        )
        self.assertIn("beyond 300", marseille["outcome"])

    def test_sort_by_priority_then_coverage(self):
        self.add_stock(self.shirt, self.paris, 5)
        self.add_stock(self.shirt, self.marseille, 5)
        self.add_stock(self.lamp, self.lyon, 5)
        self.add_stock(self.lamp, self.marseille, 5)
        self.marseille.omni_routing_priority = 1
        self.paris.omni_routing_priority = 1
        self.lyon.omni_routing_priority = 5
        self.rule.write({"sort_key_1": "priority", "sort_key_2": "coverage"})
        order = self.make_order([(self.shirt, 1), (self.lamp, 1)])
        self.assertEqual(
            self.shipped_from(order),
            {(self.shirt, self.marseille): 1, (self.lamp, self.marseille): 1},
        )

    def test_cost_mode_reports_nearest_first(self):
        for warehouse in self.warehouses:
            warehouse.write({"omni_shipping_base_cost": 10.0, "omni_shipping_cost_per_km": 0.01})
        self.marseille.omni_shipping_base_cost = 1.0
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.lamp, self.lyon, 1)
        self.add_stock(self.shirt, self.marseille, 1)
        self.add_stock(self.lamp, self.marseille, 1)
        self.rule.write({"mode": "cost", "split_penalty": 5.0})
        order = self.make_order([(self.shirt, 1), (self.lamp, 1)])
        decision = order.omni_decision_ids
        self.assertEqual(decision.shipments, 1)
        self.assertEqual(decision.nearest_first_shipments, 2)
        self.assertLess(decision.estimated_cost, decision.nearest_first_cost)
        self.assertEqual(
            self.shipped_from(order),
            {(self.shirt, self.marseille): 1, (self.lamp, self.marseille): 1},
        )

    def test_order_filters_pick_the_rule(self):
        lyon_group = self.env["omni.location.group"].create(
            {"name": "Lyon only", "warehouse_ids": [Command.link(self.lyon.id)]}
        )
        special = self.env["omni.routing.rule"].create(
            {"name": "Special", "sequence": 1, "location_group_ids": [Command.link(lyon_group.id)]}
        )
        self.add_stock(self.shirt, self.paris, 50)
        self.add_stock(self.shirt, self.lyon, 50)
        business = self.env["res.partner"].create(
            {
                "name": "Route Business",
                "is_company": True,
                "country_id": self.france.id,
                "zip": "69001",
            }
        )
        tag = self.env["crm.tag"].create({"name": "Route VIP"})
        category = self.env["product.category"].create({"name": "Route Fragile"})
        cases = [
            ({"team_ids": [Command.set(self.channel.ids)]}, {}, True),
            (
                {"team_ids": [Command.set(self.env["crm.team"].create({"name": "X"}).ids)]},
                {},
                False,
            ),
            ({"country_ids": [Command.set(self.env.ref("base.be").ids)]}, {}, False),
            ({"zip_prefixes": "69, 13"}, {"partner": business}, True),
            ({"zip_prefixes": "69, 13"}, {}, False),
            ({"customer_type": "b2b"}, {"partner": business}, True),
            ({"customer_type": "b2b"}, {}, False),
            ({"customer_type": "b2c"}, {}, True),
            ({"amount_min": 100.0}, {}, False),
            ({"amount_max": 100.0}, {}, True),
            ({"tag_ids": [Command.set(tag.ids)]}, {"tag_ids": [Command.link(tag.id)]}, True),
            ({"tag_ids": [Command.set(tag.ids)]}, {}, False),
            ({"categ_ids": [Command.set(category.ids)]}, {}, False),
            (
                {"order_domain": "[('client_order_ref', '=', 'VIP')]"},
                {"client_order_ref": "VIP"},
                True,
            ),
        ]
        for rule_vals, order_vals, matches in cases:
            with self.subTest(rule=rule_vals, order=order_vals):
                special.write(
                    {
                        "team_ids": [Command.clear()],
                        "country_ids": [Command.clear()],
                        "zip_prefixes": False,
                        "customer_type": "any",
                        "amount_min": 0,
                        "amount_max": 0,
                        "tag_ids": [Command.clear()],
                        "categ_ids": [Command.clear()],
                        "order_domain": "[]",
                        **rule_vals,
                    }
                )
                order_vals = dict(order_vals)
                partner = order_vals.pop("partner", None)
                order = self.make_order([(self.shirt, 1)], partner=partner, **order_vals)
                self.assertEqual(order.omni_decision_ids.rule_id, special if matches else self.rule)
        self.shirt.categ_id = category
        special.write({"categ_ids": [Command.set(category.ids)], "order_domain": "[]"})
        order = self.make_order([(self.shirt, 1)])
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.lyon): 1})

    def test_invalid_rule_settings(self):
        with self.assertRaises(ValidationError):
            self.rule.order_domain = "[('no_such_field', '=', 1)]"
        with self.assertRaises(ValidationError):
            self.rule.write({"amount_min": 50, "amount_max": 10})
        with self.assertRaises(ValidationError):
            self.rule.max_shipments = -1

    def test_held_without_stock_then_routed_again(self):
        order = self.make_order([(self.shirt, 3)])
        self.assertEqual(order.omni_routing_state, "held")
        self.assertEqual(order.omni_hold_reason, "No candidate location can ship this order.")
        self.assertFalse(order.picking_ids)
        self.assertFalse(order.omni_allocation_ids)
        self.assertIn(order, self.env["sale.order"].search([("omni_routing_state", "=", "held")]))
        self.add_stock(self.shirt, self.lyon, 3)
        self.env["sale.order"]._cron_omni_route_held()
        self.assertEqual(order.omni_routing_state, "routed")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.lyon): 3})
        self.assertEqual(len(order.omni_decision_ids), 2)

    def test_backorder_ships_what_is_found(self):
        self.rule.failure_action = "backorder"
        self.add_stock(self.shirt, self.lyon, 1)
        order = self.make_order([(self.shirt, 3)])
        self.assertEqual(order.omni_routing_state, "backorder")
        self.assertEqual(
            self.shipped_from(order), {(self.shirt, self.lyon): 1, (self.shirt, self.paris): 2}
        )
        self.assertEqual(
            sorted(order.omni_allocation_ids.mapped("state")), ["backorder", "procured"]
        )
        # Nothing anywhere: all of it waits in the order's own warehouse.
        order = self.make_order([(self.lamp, 2)])
        self.assertEqual(order.omni_routing_state, "backorder")
        self.assertEqual(self.shipped_from(order), {(self.lamp, self.paris): 2})

    def test_next_rule_after_failure(self):
        self.rule.location_group_ids = self.env["omni.location.group"].create(
            {"name": "Paris only", "warehouse_ids": [Command.link(self.paris.id)]}
        )
        fallback = self.env["omni.routing.rule"].create(
            {
                "name": "Fallback",
                "sequence": 50,
                "location_group_ids": [Command.link(self.group.id)],
            }
        )
        self.add_stock(self.shirt, self.marseille, 1)
        order = self.make_order([(self.shirt, 1)])
        self.assertEqual(order.omni_decision_ids.rule_id, fallback)
        self.assertEqual(len(order.omni_decision_ids.trace["attempts"]), 2)

    def test_bad_input_is_held_with_a_reason(self):
        self.add_stock(self.shirt, self.paris, 5)
        nowhere = self.env["res.partner"].create({"name": "No Address"})
        order = self.make_order([(self.shirt, 1)], partner=nowhere)
        self.assertEqual(order.omni_routing_state, "held")
        self.assertIn("No delivery address", order.omni_hold_reason)
        self.rule.location_group_ids = self.env["omni.location.group"].create({"name": "Empty"})
        self.rule.failure_action = "hold"
        order = self.make_order([(self.shirt, 1)])
        self.assertEqual(order.omni_routing_state, "held")
        self.assertIn("has no candidate locations", order.omni_hold_reason)
        self.assertFalse(order.picking_ids)

    def test_orders_no_rule_applies_to_ship_as_usual(self):
        self.rule.team_ids = self.env["crm.team"].create({"name": "Other"})
        self.add_stock(self.shirt, self.lyon, 5)
        order = self.make_order([(self.shirt, 1)])
        self.assertEqual(order.omni_routing_state, "none")
        self.assertFalse(order.omni_decision_ids)
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.paris): 1})

    def test_without_rules_odoo_sources_as_usual(self):
        self.rule.active = False
        self.add_stock(self.shirt, self.lyon, 5)
        order = self.make_order([(self.shirt, 1)])
        self.assertEqual(order.omni_routing_state, "none")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.paris): 1})

    def test_reroute_after_rejection(self):
        self.add_stock(self.shirt, self.paris, 2)
        self.add_stock(self.shirt, self.lyon, 2)
        order = self.make_order([(self.shirt, 2)])
        paris_moves = order.picking_ids.move_ids
        new = order._omni_reroute(paris_moves, "Store refused: damaged goods")
        self.assertEqual(new.warehouse_id, self.lyon)
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.lyon): 2})
        self.assertEqual(
            order.omni_allocation_ids.filtered(lambda a: a.warehouse_id == self.paris).state,
            "released",
        )
        latest = self.latest_decision(order)
        self.assertEqual(latest.reason, "Store refused: damaged goods")
        # Lyon refuses too: no location left, the order waits with a reason.
        self.assertFalse(
            order._omni_reroute(
                order.picking_ids.move_ids.filtered(lambda m: m.state != "cancel"), "Lyon refused"
            )
        )
        self.assertEqual(order.omni_routing_state, "held")

    def test_salesman_confirms_routed_orders(self):
        salesman = new_test_user(
            self.env, login="route_sales", groups="sales_team.group_sale_salesman"
        )
        self.add_stock(self.shirt, self.paris, 1)
        order = self.make_order([(self.shirt, 1)], confirm=False, user_id=salesman.id)
        order.with_user(salesman).action_confirm()
        self.assertEqual(order.omni_routing_state, "routed")
        with self.assertRaises(AccessError):
            self.rule.with_user(salesman).write({"name": "Mine"})

    def test_rules_of_another_company(self):
        other = self.env["res.company"].create({"name": "Route Other Co"})
        user = new_test_user(
            self.env,
            login="route_other",
            groups="omni_base.group_omni_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(self.env["omni.routing.rule"].with_user(user).search([]))
        self.env["omni.routing.rule"].with_company(other).create(
            {"name": "Other", "company_id": other.id}
        )
        # The other company's rule (holding everything) does not touch our orders.
        self.add_stock(self.shirt, self.paris, 1)
        order = self.make_order([(self.shirt, 1)])
        self.assertEqual(order.omni_decision_ids.rule_id, self.rule)

    def test_changes_to_a_rule_are_tracked(self):
        # changes are tracked from the transaction after the rule's creation
        self.env.flush_all()
        self.env.cr.precommit.run()
        rule = self.rule.with_context(tracking_disable=False, mail_notrack=False)
        rule.with_user(self.user_manager).write({"amount_min": 50, "customer_type": "b2c"})
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is written as the transaction commits
        rule.invalidate_recordset(["message_ids"])
        message = rule.message_ids[:1]
        self.assertEqual(
            set(message.tracking_value_ids.field_id.mapped("name")),
            {"amount_min", "customer_type"},
        )
        self.assertEqual(message.author_id, self.user_manager.partner_id)
