import json

from odoo.tests import tagged

from .common import CostCommon


@tagged("post_install", "-at_install")
class TestCostDashboard(CostCommon):
    def test_dashboard_for_accountants_only(self):
        dashboard = self.env.ref("omni_cost.spreadsheet_dashboard_omni_cost")
        for user in (self.accountant, self.auditor, self.user_manager):
            with self.subTest(user=user.login):
                data = dashboard.with_user(user).get_readonly_dashboard()
                snapshot = data["snapshot"]
                self.assertEqual(snapshot["pivots"]["1"]["model"], "omni.order.cost")
        for user in (self.user_store_staff, self.user_operator):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self.env["spreadsheet.dashboard"]
                    .with_user(user)
                    .search([("id", "=", dashboard.id)])
                )

    def test_dashboard_reads_existing_fields(self):
        """Every measure and group of the dashboard is a field of the cost records the
        accountant may aggregate."""
        dashboard = self.env.ref("omni_cost.spreadsheet_dashboard_omni_cost")
        spreadsheet = json.loads(dashboard.spreadsheet_data)
        Cost = self.env["omni.order.cost"].with_user(self.accountant)
        pivot = spreadsheet["pivots"]["1"]
        measures = [m["fieldName"] for m in pivot["measures"] if m["fieldName"] != "__count"]
        Cost.read_group(pivot["domain"], [f"{name}:sum" for name in measures], [])
        for figure in spreadsheet["sheets"][0]["figures"]:
            meta = figure["data"].get("metaData")
            if meta:
                with self.subTest(chart=figure["id"]):
                    Cost.read_group([], [f"{meta['measure']}:sum"], meta["groupBy"])
