from odoo.tests import HttpCase, tagged

from .common import OmniWaveCommon


@tagged("post_install", "-at_install")
class TestPickingScreenTour(OmniWaveCommon, HttpCase):
    """The picking screen in a real browser, as a warehouse operator."""

    def test_operator_picks_a_wave_by_scanning(self):
        first, second = self.order({"P1": 1, "P4": 1}), self.order({"P2": 1})
        wave = self.wave_of(first, second)
        wave.description = "OWT Screen Wave"
        self.start_tour(
            "/odoo/action-omni_wms.omni_wms_picking_screen_action",
            "omni_wms_picking_screen",
            login=self.user_operator.login,
        )
        self.assertEqual(wave.user_id, self.user_operator)
        self.assertTrue(wave.omni_start_date and wave.omni_end_date)
        self.assertTrue(all(wave.move_line_ids.mapped("picked")))
        self.assertEqual(
            sorted(wave.move_line_ids.mapped("product_id.default_code")), ["OWT-P1", "OWT-P2"]
        )
        # P4 was short: none found in B-02-1, none left elsewhere to reserve
        p4_move = first.move_ids.filtered(lambda move: move.product_id == self.products["P4"])
        self.assertEqual(p4_move.quantity, 0.0)
        self.assertEqual(self.bin["B-02-1"].quant_ids.quantity, 0.0)
        self.assertEqual(
            first.move_line_ids.result_package_id.name, f"{wave.name}-T{first.omni_tote}"
        )
        self.assertEqual(
            second.move_line_ids.result_package_id.name, f"{wave.name}-T{second.omni_tote}"
        )
