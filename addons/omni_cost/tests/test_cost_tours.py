from odoo.tests import HttpCase, tagged

from .common import CostCommon


@tagged("post_install", "-at_install")
class TestCostTours(CostCommon, HttpCase):
    """An accountant's reading of the cost per order, in a real browser."""

    def test_accountant_reads_the_cost_of_an_order(self):
        order = self.order([(self.lamp, 2), (self.rug, 1)], name="COST-TOUR-1")
        self.ship(self.picking_of(order, self.dc), 120.0, self.box, price=7.5)
        self.cost(order)
        self.start_tour("/odoo", "omni_cost_accountant_reads_costs", login=self.accountant.login)
