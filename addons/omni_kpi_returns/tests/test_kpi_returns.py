from odoo.tests import tagged

from odoo.addons.omni_kpi.tests.common import KpiCommon, at, day


@tagged("post_install", "-at_install")
class TestKpiReturns(KpiCommon):
    """The returns rate of omni_kpi's hand-made history: the share of the orders with a
    return neither cancelled nor refused, per channel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store_channel = cls.env["crm.team"].create({"name": "KPI Store"})
        cls.reason = cls.env.ref("omni_returns.omni_return_reason_changed_mind")

    def history(self):
        """A, B (2 units, 1 shipped), C shipped and D not shipped on the web channel;
        E shipped on the store channel."""
        orders = {}
        for name, quantity, channel in (
            ("a", 1, self.channel),
            ("b", 2, self.channel),
            ("c", 1, self.channel),
            ("d", 1, self.channel),
            ("e", 1, self.store_channel),
        ):
            orders[name] = self.order(
                quantity=quantity, confirm_at=at(day(0), 9), team_id=channel.id
            )
        self.ship(orders["a"], at(day(0), 15))
        self.ship(orders["b"], at(day(2), 10), quantity=1)
        self.ship(orders["c"], at(day(0), 15))
        self.ship(orders["e"], at(day(0), 15))
        return orders

    def return_of(self, order, quantity=1):
        return self.env["omni.return"]._create_request(
            order,
            [(order.order_line, quantity, self.reason)],
            "backend",
            override_note="Returned in the service level test",
        )

    def rates(self):
        self.env.flush_all()
        rows = self.env["omni.kpi.order"]._read_group(
            [("company_id", "=", self.env.company.id)],
            ["team_id"],
            ["returns_rate:avg", "ordered_qty:sum", "returned_qty:sum", "__count"],
        )
        return {team: tuple(figures) for team, *figures in rows}

    def test_returns_rate_per_channel(self):
        orders = self.history()
        self.return_of(orders["a"])
        b_return = self.return_of(orders["b"])
        self.return_of(orders["e"])
        rates = self.rates()
        # web: A and B returned of 4 orders, 5 units ordered, 2 returned
        self.assertEqual(rates[self.channel], (50.0, 5.0, 2.0, 4))
        self.assertEqual(rates[self.store_channel], (100.0, 1.0, 1.0, 1))

        b_return.action_cancel()
        c_return = self.return_of(orders["c"])
        c_return._refuse("Worn")
        self.assertEqual((b_return.state, c_return.state), ("cancel", "refused"))
        rates = self.rates()
        # web: only A returned now, of 4 orders; cancelled and refused returns do not count
        self.assertEqual(rates[self.channel], (25.0, 5.0, 1.0, 4))
        self.assertEqual(rates[self.store_channel], (100.0, 1.0, 1.0, 1))
        report = self.env["omni.kpi.order"].search(
            [("order_id", "in", [order.id for order in orders.values()])]
        )
        self.assertEqual(report.filtered("returned").order_id, orders["a"] | orders["e"])
