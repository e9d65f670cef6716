from odoo.tests import tagged

from .common import OmniCommon


@tagged("post_install", "-at_install")
class TestOmniGroups(OmniCommon):
    def test_manager_implies_store_staff_and_operator(self):
        self.assertTrue(self.user_manager.has_group("omni_base.group_omni_store_staff"))
        self.assertTrue(self.user_manager.has_group("omni_base.group_omni_warehouse_operator"))
        self.assertFalse(self.user_store_staff.has_group("omni_base.group_omni_manager"))
        self.assertFalse(self.user_store_staff.has_group("omni_base.group_omni_warehouse_operator"))

    def test_administrator_is_logistics_manager(self):
        self.assertTrue(self.env.ref("base.user_admin").has_group("omni_base.group_omni_manager"))

    def test_omni_groups_can_work_in_inventory(self):
        for user in (self.user_store_staff, self.user_operator):
            self.assertTrue(user.has_group("stock.group_stock_user"))

    def test_app_menu_visibility_per_group(self):
        root = self.env.ref("omni_base.omni_menu_root")
        configuration = self.env.ref("omni_base.omni_menu_configuration")
        for user in (self.user_store_staff, self.user_operator, self.user_manager):
            self.assertIn(root, self.visible_menus(user), user.login)
        self.assertNotIn(root, self.visible_menus(self.user_internal))
        self.assertNotIn(configuration, self.visible_menus(self.user_store_staff))
        self.assertNotIn(configuration, self.visible_menus(self.user_operator))
        self.assertIn(configuration, self.visible_menus(self.user_manager))
