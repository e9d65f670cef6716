from odoo.tests import tagged

from .common import ReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnsReport(ReturnsCommon):
    def rates(self, groupby, domain=()):
        groups = self.env["omni.return.report"]._read_group(
            [("team_id", "=", self.channel.id), *domain],
            [groupby],
            ["qty_sold:sum", "qty_returned:sum", "return_rate:sum"],
        )
        return {key: (sold, returned, rate) for key, sold, returned, rate in groups}

    def test_returns_rate_by_product_reason_and_grade(self):
        first = self.deliver([(self.product, 4), (self.heavy_product, 2)])
        second = self.deliver([(self.product, 6)])
        graded = self.request(first, [(self.product, 2, self.reason_mind)])
        graded.action_receive()
        graded._grade(
            [(graded.line_ids, self.grades["A"], 1), (graded.line_ids, self.grades["D"], 1)]
        )
        self.request(second, [(self.product, 1, self.reason_defective)])
        refused = self.request(first, [(self.heavy_product, 1, self.reason_check)])
        refused.with_user(self.user_manager)._refuse("Not our item")

        by_product = self.rates("product_id")
        self.assertEqual(by_product[self.product], (10.0, 3.0, 30.0))
        self.assertEqual(by_product[self.heavy_product], (2.0, 0.0, 0.0), "refused: not counted")
        by_reason = self.rates("reason_id", [("reason_id", "!=", False)])
        self.assertEqual(by_reason[self.reason_mind][1], 2.0)
        self.assertEqual(by_reason[self.reason_defective][1], 1.0)
        by_grade = self.rates("grade_id", [("return_id", "!=", False)])
        self.assertEqual(by_grade[self.grades["A"]][1], 1.0)
        self.assertEqual(by_grade[self.grades["D"]][1], 1.0)
        self.assertEqual(by_grade[self.env["omni.return.grade"]][1], 1.0, "not graded yet")
        by_channel = self.rates("team_id")
        self.assertEqual(by_channel[self.channel], (12.0, 3.0, 25.0))
