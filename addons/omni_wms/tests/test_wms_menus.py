from ast import literal_eval

from odoo.tests import tagged

from odoo.addons.omni_base.tests.common import OmniCommon


@tagged("post_install", "-at_install")
class TestWmsMenus(OmniCommon):
    def test_warehouse_section_is_for_operators(self):
        section = self.env.ref("omni_base.omni_menu_warehouse")
        waves = self.env.ref("omni_wms.omni_wms_menu_waves")
        for user in (self.user_operator, self.user_manager):
            self.assertIn(waves, self.visible_menus(user), user.login)
            self.assertIn(section, self.visible_menus(user), user.login)
        self.assertNotIn(section, self.visible_menus(self.user_store_staff))

    def test_waves_action_shows_waves_only(self):
        picking = self.env["stock.picking"].create(
            {"picking_type_id": self.env.ref("stock.picking_type_out").id}
        )
        wave = self.env["stock.picking.batch"].create({"is_wave": True, "picking_ids": picking.ids})
        batch = self.env["stock.picking.batch"].create({"picking_ids": []})
        action = self.env.ref("stock_picking_batch.action_picking_tree_wave")
        self.assertEqual(action, self.env.ref("omni_wms.omni_wms_menu_waves").action)
        found = self.env["stock.picking.batch"].search(literal_eval(action.domain))
        self.assertIn(wave, found)
        self.assertNotIn(batch, found)

    def test_overview_counts_the_waves_being_picked(self):
        tile = self.env.ref("omni_wms.omni_dashboard_tile_waves_in_progress")
        self.assertIn(
            tile, self.env["omni.dashboard.tile"].with_user(self.user_operator).search([])
        )
        self.assertNotIn(
            tile, self.env["omni.dashboard.tile"].with_user(self.user_store_staff).search([])
        )
        before = tile.with_user(self.user_operator).count
        picking = self.env["stock.picking"].create(
            {"picking_type_id": self.env.ref("stock.picking_type_out").id}
        )
        wave = self.env["stock.picking.batch"].create({"is_wave": True, "picking_ids": picking.ids})
        wave.action_confirm()
        tile.invalidate_recordset(["count"])
        self.assertEqual(tile.with_user(self.user_operator).count, before + 1)
        action = tile.with_user(self.user_operator).action_open()
        self.assertIn(wave, self.env["stock.picking.batch"].search(action["domain"]))
