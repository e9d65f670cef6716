from ast import literal_eval

from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged

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

    def test_store_staff_open_every_omni_menu_they_see(self):
        root = self.env.ref("omni_base.omni_menu_root")
        menus = self.visible_menus(self.user_store_staff).filtered(
            lambda menu: (
                menu.parent_path.startswith(root.parent_path)
                and menu.action
                and menu.action._name == "ir.actions.act_window"
            )
        )
        self.assertIn(self.env.ref("omni_oms.omni_store_order_menu"), menus)
        self.assertNotIn(self.env.ref("omni_oms.omni_oms_menu_sale_orders"), menus)
        for menu in menus:
            with self.subTest(menu=menu.complete_name):
                self.assert_action_opens(menu.action, self.user_store_staff)

    def test_store_staff_land_on_the_store_queue(self):
        queue = self.env.ref("omni_oms.omni_store_order_action")
        self.assertEqual(self.user_store_staff.action_id.id, queue.id)
        self.assertFalse(self.user_manager.action_id)
        self.assertFalse(self.user_operator.action_id)
        clerk = new_test_user(self.env, login="omni_later_clerk", groups="base.group_user")
        clerk.groups_id = [Command.link(self.env.ref("omni_base.group_omni_store_staff").id)]
        inventory = self.env.ref("stock.stock_picking_type_action")
        own_home = new_test_user(
            self.env, login="omni_own_home", groups="base.group_user", action_id=inventory.id
        )
        own_home.groups_id = [Command.link(self.env.ref("omni_base.group_omni_store_staff").id)]
        self.store.omni_staff_ids = [Command.set((clerk | own_home).ids)]
        self.assertEqual(clerk.action_id.id, queue.id)
        self.assertEqual(own_home.action_id.id, inventory.id)

    def test_store_queue_creates_nothing(self):
        arch = self.env["omni.store.order"].get_views([(False, "kanban")])["views"]["kanban"]
        self.assertEqual(etree.fromstring(arch["arch"]).get("create"), "false")
