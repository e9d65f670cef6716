from odoo import Command
from odoo.tests import tagged

from .common import OmniWmsCommon


@tagged("post_install", "-at_install")
class TestPickListReport(OmniWmsCommon):
    def render(self, report_xmlid, records):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(report_xmlid, records.ids)
        return html.decode()

    def assert_in_order(self, text, *parts):
        positions = [text.index(part) for part in parts]
        self.assertEqual(positions, sorted(positions), parts)

    def test_picking_pick_list_in_walking_order(self):
        picking = self.delivery("P7", "P3", "P2", "P1")
        html = self.render("omni_wms.stock_picking_report_omni_pick_list", picking)
        self.assert_in_order(html, "A-01-1", "B-04-1", "D-02-1", "OWT/Stock<")
        self.assertIn("Route length:", html)
        self.assertIn("40.5", html)
        self.assertIn("not placed", html)
        self.assertIn("come last in the pick list (lines: 1; locations: OWT/Stock)", html)

    def test_batch_pick_list_names_the_transfers(self):
        first, second = self.delivery("P1", "P2", "P3"), self.delivery("P4", "P5", "P6")
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set((first | second).ids)]}
        )
        batch.action_confirm()
        html = self.render("omni_wms.stock_picking_batch_report_omni_pick_list", batch)
        self.assert_in_order(html, "A-01-1", "D-02-1", "D-04-1", "C-03-2", "B-04-1", "B-02-1")
        self.assertIn(first.name, html)
        self.assertIn(second.name, html)
        self.assertIn("48.0", html)
        # a transfer of the batch lists its lines in the batch's order, and says so
        html = self.render("omni_wms.stock_picking_report_omni_pick_list", first)
        self.assertIn("Picked with:", html)
        self.assertIn(batch.name, html)
        self.assert_in_order(html, "A-01-1", "D-02-1", "B-04-1")

    def test_report_is_in_the_print_menu(self):
        for model in ("stock.picking", "stock.picking.batch"):
            reports = self.env["ir.actions.report"].search(
                [("binding_model_id.model", "=", model), ("report_name", "like", "omni_pick_list")]
            )
            self.assertEqual(len(reports), 1, model)
