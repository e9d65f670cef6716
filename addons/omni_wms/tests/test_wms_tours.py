from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import OmniWmsCommon


@tagged("post_install", "-at_install")
class TestWmsTours(OmniWmsCommon, HttpCase):
    """The warehouse operator's screens, clicked through in a real browser."""

    def test_operator_prints_a_wave_and_plans_its_route(self):
        pickings = self.delivery("P1", "P4") | self.delivery("P2")
        wave = self.env["stock.picking.batch"].create(
            {"name": "OWT Tour Wave", "is_wave": True, "picking_ids": [Command.set(pickings.ids)]}
        )
        wave.action_confirm()
        wave.move_line_ids.omni_pick_sequence = 0
        printed = []
        Report = self.registry["ir.actions.report"]
        render = Report._render_qweb_pdf

        def record_render(report, report_ref, res_ids=None, data=None):
            printed.append((report._get_report(report_ref).report_name, list(res_ids or [])))
            return render(report, report_ref, res_ids=res_ids, data=data)

        self.patch(Report, "_render_qweb_pdf", record_render)
        self.start_tour("/odoo", "omni_wms_wave_pick_list", login=self.user_operator.login)
        self.assertEqual(printed, [("omni_wms.report_omni_pick_list_batch", wave.ids)])
        self.assertEqual(self.walking_order(wave), ["P1", "P2", "P4"])
