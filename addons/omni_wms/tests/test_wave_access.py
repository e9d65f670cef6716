from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OmniWaveCommon


@tagged("post_install", "-at_install")
class TestWaveAccess(OmniWaveCommon):
    """Who reads and edits wave rules and pick faces, reads productivity, sees the menus
    and uses the picking screen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.wave_rule("Access", max_orders=5)
        cls.face = cls.env["omni.pick.face"].create(
            {
                "location_id": cls.bin["A-01-1"].id,
                "product_id": cls.products["P1"].id,
                "reserve_location_id": cls.bin["D-01-2"].id,
                "min_qty": 1,
                "max_qty": 10,
            }
        )

    def test_operators_read_managers_edit(self):
        for record in (self.rule, self.face):
            with self.subTest(model=record._name):
                self.assertTrue(record.with_user(self.user_operator).read(["display_name"]))
                with self.assertRaises(AccessError):
                    record.with_user(self.user_operator).write(
                        {"sequence": 3} if record._name == "omni.wave.rule" else {"min_qty": 2}
                    )
                record.with_user(self.user_manager).write(
                    {"sequence": 3} if record._name == "omni.wave.rule" else {"min_qty": 2}
                )
        for user in (self.user_store_staff, self.user_internal):
            for record in (self.rule, self.face):
                with (
                    self.subTest(user=user.login, model=record._name),
                    self.assertRaises(AccessError),
                ):
                    record.with_user(user).read(["display_name"])

    def test_rules_and_faces_of_other_companies_are_hidden(self):
        company = self.env["res.company"].create({"name": "Omni Waves Other Co"})
        foreign = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        rule = self.env["omni.wave.rule"].create(
            {
                "name": "Foreign",
                "warehouse_id": foreign.id,
                "company_id": company.id,
                "max_orders": 3,
            }
        )
        visible = self.env["omni.wave.rule"].with_user(self.user_manager).search([])
        self.assertIn(self.rule, visible)
        self.assertNotIn(rule, visible)

    def test_menus_and_actions(self):
        menus = [
            "omni_wms.omni_wms_menu_picking_screen",
            "omni_wms.omni_wave_rule_menu",
            "omni_wms.omni_pick_face_menu",
            "omni_wms.omni_pick_productivity_menu",
            "omni_wms.omni_pick_face_menu_short",
        ]
        for xmlid in menus:
            menu = self.env.ref(xmlid)
            for user in (self.user_operator, self.user_manager):
                self.assertIn(menu, self.visible_menus(user), f"{xmlid} {user.login}")
            for user in (self.user_store_staff, self.user_internal):
                self.assertNotIn(menu, self.visible_menus(user), f"{xmlid} {user.login}")
        for xmlid in (
            "omni_wms.omni_wave_rule_action",
            "omni_wms.omni_pick_face_action",
            "omni_wms.omni_pick_productivity_action",
        ):
            for user in (self.user_operator, self.user_manager):
                with self.subTest(action=xmlid, user=user.login):
                    self.assert_action_opens(self.env.ref(xmlid), user)

    def test_the_picking_screen_needs_write_access_to_the_wave(self):
        wave = self.wave_of(self.order({"P1": 1}))
        with self.assertRaises(AccessError):
            wave.with_user(self.user_internal).omni_screen_take()
        step = wave.with_user(self.user_operator).omni_screen_take()
        self.assertEqual(step["line"]["location_name"], "A-01-1")
        self.assert_standard_users_read("omni_wms", [wave, wave.picking_ids, self.bin["A-01-1"]])
