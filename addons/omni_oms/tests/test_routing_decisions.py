from lxml import etree

from odoo.tests import tagged
from odoo.tools import format_amount, format_datetime

from .routing_common import RoutingCommon


@tagged("post_install", "-at_install")
class TestRoutingDecisions(RoutingCommon):
    """What a logistics manager reads of a routing decision."""

    def test_decision_is_named_by_its_order_and_date(self):
        self.add_stock(self.shirt, self.paris, 1)
        decision = self.make_order([(self.shirt, 1)]).omni_decision_ids
        self.assertEqual(
            decision.display_name,
            f"{decision.order_id.name}, "
            f"{format_datetime(self.env, decision.create_date, dt_format=False)}",
        )
        Decision = self.env["omni.routing.decision"]
        self.assertEqual(Decision.name_search(decision.order_id.name)[0][0], decision.id)

    def test_backorder_says_what_waits_and_why(self):
        self.rule.failure_action = "backorder"
        self.add_stock(self.shirt, self.lyon, 1)
        decision = self.make_order([(self.shirt, 3), (self.lamp, 2)]).omni_decision_ids
        self.assertEqual(decision.status, "backorder")
        self.assertEqual(
            decision.reason,
            "Backordered: 2 Units Route Shirt (only 1 in stock where the rule may ship "
            "from); 2 Units Route Lamp (none in stock where the rule may ship from). It "
            "waits for stock at Route Paris.",
        )

    def test_backorder_held_back_by_the_rule_says_so(self):
        self.rule.write({"failure_action": "backorder", "max_shipments": 1})
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.shirt, self.lyon, 1)
        decision = self.make_order([(self.shirt, 2)]).omni_decision_ids
        self.assertEqual(decision.status, "backorder")
        self.assertIn("1 Units Route Shirt (in stock, but the rule's limits", decision.reason)

    def test_backorder_routed_again_keeps_both_reasons(self):
        self.add_stock(self.shirt, self.paris, 1)
        order = self.make_order([(self.shirt, 3)])
        self.assertEqual(order.omni_routing_state, "held")
        self.rule.failure_action = "backorder"
        order.action_omni_route()
        self.assertEqual(
            self.latest_decision(order).reason,
            "Routing run again: Backordered: 2 Units Route Shirt (only 1 in stock where the "
            "rule may ship from). It waits for stock at Route Paris.",
        )

    def test_costs_in_the_company_currency(self):
        self.warehouses.write(
            {
                "omni_shipping_base_cost": 7.5,
                "omni_shipping_cost_per_kg": 0.0,
                "omni_shipping_cost_per_km": 0.0,
            }
        )
        self.add_stock(self.shirt, self.paris, 1)
        decision = self.make_order([(self.shirt, 1)]).omni_decision_ids
        currency = self.env.company.currency_id
        self.assertEqual(decision.currency_id, currency)
        for name in ("estimated_cost", "nearest_first_cost"):
            self.assertEqual(decision._fields[name].type, "monetary", name)
        amount = format_amount(self.env, 7.5, currency)
        self.assertIn(amount, decision.trace["attempts"][0]["outcome"])
        self.assertIn(f"<td>{amount}</td>", decision.trace_html)

    def test_reporting_views_count_time_and_costs(self):
        action = self.env.ref("omni_oms.omni_routing_decision_action")
        self.assertEqual(action.view_mode, "list,pivot,graph,form")
        Decision = self.env["omni.routing.decision"].with_user(self.user_manager)
        views = Decision.get_views([(False, "pivot"), (False, "graph"), (False, "search")])
        pivot = etree.fromstring(views["views"]["pivot"]["arch"])
        self.assertEqual(
            [(node.get("name"), node.get("type")) for node in pivot.iter("field")],
            [
                ("rule_id", "row"),
                ("status", "col"),
                ("create_date", "row"),
                ("estimated_cost", "measure"),
                ("nearest_first_cost", "measure"),
                ("duration_ms", "measure"),
            ],
        )
        graph = etree.fromstring(views["views"]["graph"]["arch"])
        self.assertEqual(graph.xpath("//field[@name='create_date']/@interval"), ["month"])
        search = etree.fromstring(views["views"]["search"]["arch"])
        self.assertEqual(
            [node.get("context") for node in search.xpath("//group/filter")],
            [
                "{'group_by': 'rule_id'}",
                "{'group_by': 'status'}",
                "{'group_by': 'create_date:month'}",
            ],
        )
        self.add_stock(self.shirt, self.paris, 2)
        self.make_order([(self.shirt, 1)])
        self.make_order([(self.shirt, 1)])
        [group] = Decision.read_group(
            [("rule_id", "=", self.rule.id)],
            ["estimated_cost:sum", "nearest_first_cost:sum", "duration_ms:avg"],
            ["create_date:month"],
        )
        self.assertEqual(group["create_date_count"], 2)
