from odoo.tests import HttpCase, tagged

from .routing_common import RoutingCommon


@tagged("post_install", "-at_install")
class TestRoutingTours(RoutingCommon, HttpCase):
    """A logistics manager's reading of routing, in a real browser."""

    def test_manager_reads_a_routing_decision(self):
        self.rule.failure_action = "backorder"
        self.add_stock(self.shirt, self.lyon, 1)
        order = self.make_order([(self.shirt, 3)], name="OMNI-TOUR-1")
        self.assertEqual(order.omni_routing_state, "backorder")
        self.start_tour("/odoo", "omni_oms_routing_decisions", login=self.user_manager.login)
