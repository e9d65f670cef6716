from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OmniWmsCommon


@tagged("post_install", "-at_install")
class TestWmsAccess(OmniWmsCommon):
    def test_operators_read_layouts_managers_edit_them(self):
        layout = self.layout.with_user(self.user_operator)
        self.assertEqual(layout.aisle_count, 4)
        with self.assertRaises(AccessError):
            layout.aisle_count = 5
        with self.assertRaises(AccessError):
            self.env["omni.warehouse.layout"].with_user(self.user_operator).create(
                {"warehouse_id": self.env.ref("stock.warehouse0").id}
            )
        with self.assertRaises(AccessError):
            layout.unlink()
        managed = self.layout.with_user(self.user_manager)
        managed.aisle_count = 5
        self.assertEqual(self.layout.aisle_count, 5)
        other = self.env["stock.warehouse"].create({"name": "Omni WMS Mgr", "code": "OWM"})
        created = (
            self.env["omni.warehouse.layout"]
            .with_user(self.user_manager)
            .create({"warehouse_id": other.id})
        )
        created.unlink()

    def test_users_outside_the_warehouse_groups_cannot_read_layouts(self):
        for user in (self.user_store_staff, self.user_internal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.layout.with_user(user).read(["aisle_count"])

    def test_layouts_of_other_companies_are_hidden(self):
        company = self.env["res.company"].create({"name": "Omni WMS Other Co"})
        foreign = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        foreign_layout = self.env["omni.warehouse.layout"].create({"warehouse_id": foreign.id})
        visible = self.env["omni.warehouse.layout"].with_user(self.user_manager).search([])
        self.assertIn(self.layout, visible)
        self.assertNotIn(foreign_layout, visible)
        both = new_test_user(
            self.env,
            login="omni_wms_two_companies",
            groups="omni_base.group_omni_manager",
            company_ids=[(6, 0, (self.env.company | company).ids)],
        )
        visible = (
            self.env["omni.warehouse.layout"]
            .with_user(both)
            .with_context(allowed_company_ids=(self.env.company | company).ids)
            .search([])
        )
        self.assertIn(foreign_layout, visible)

    def test_layout_menu_for_warehouse_groups(self):
        menu = self.env.ref("omni_wms.omni_warehouse_layout_menu")
        for user in (self.user_operator, self.user_manager):
            self.assertIn(menu, self.visible_menus(user), user.login)
        for user in (self.user_store_staff, self.user_internal):
            self.assertNotIn(menu, self.visible_menus(user), user.login)

    def test_planning_a_route_needs_write_access_to_the_transfer(self):
        picking = self.delivery("P1", "P2")
        with self.assertRaises(AccessError):
            picking.with_user(self.user_internal).action_omni_compute_route()
        with self.assertRaises(AccessError):
            picking.with_user(self.user_internal).action_omni_print_pick_list()

    def test_standard_users_read_what_omni_wms_adds(self):
        picking = self.delivery("P1", "P2")
        batch = self.env["stock.picking.batch"].create({"picking_ids": [Command.set(picking.ids)]})
        batch.action_omni_compute_route()
        self.assertTrue(picking.move_line_ids.filtered("omni_pick_sequence"))
        self.assert_standard_users_read(
            "omni_wms", [picking, picking.move_line_ids[0], batch, self.bin["A-01-1"]]
        )
