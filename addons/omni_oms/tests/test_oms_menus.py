from ast import literal_eval

from odoo.tests import tagged

from odoo.addons.omni_base.tests.common import OmniCommon


@tagged("post_install", "-at_install")
class TestOmsMenus(OmniCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["stock.warehouse"].create(
            {"name": "Menu Test Store", "code": "MTS", "omni_is_store": True}
        )
        cls.depot = cls.env["stock.warehouse"].create({"name": "Menu Test DC", "code": "MTD"})

    def test_stores_action_lists_only_stores(self):
        action = self.env.ref("omni_oms.stock_warehouse_action_store")
        warehouses = self.env["stock.warehouse"].search(literal_eval(action.domain))
        self.assertIn(self.store, warehouses)
        self.assertNotIn(self.depot, warehouses)

    def test_sections_appear_for_their_users(self):
        stores_section = self.env.ref("omni_base.omni_menu_stores")
        orders_section = self.env.ref("omni_base.omni_menu_orders")
        self.assertIn(stores_section, self.visible_menus(self.user_store_staff))
        self.assertIn(orders_section, self.visible_menus(self.user_store_staff))
        self.assertIn(orders_section, self.visible_menus(self.env.ref("base.user_admin")))
        self.assertNotIn(orders_section, self.visible_menus(self.user_internal))
        channels = self.env.ref("omni_oms.crm_team_menu")
        self.assertIn(channels, self.visible_menus(self.user_manager))
        self.assertNotIn(channels, self.visible_menus(self.user_store_staff))
