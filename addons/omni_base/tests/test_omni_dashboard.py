from odoo import Command
from odoo.tests import tagged

from .common import OmniCommon


@tagged("post_install", "-at_install")
class TestOmniDashboard(OmniCommon):
    """Omni's overview: tiles the add-ons declare, counted for the user who looks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouses = cls.env["stock.warehouse"].create(
            [
                {"name": "Tile North", "code": "TLN"},
                {"name": "Tile South", "code": "TLS"},
                {"name": "Tile Store", "code": "TLX", "active": False},
            ]
        )
        cls.action = cls.env["ir.actions.act_window"].create(
            {
                "name": "Tile warehouses",
                "res_model": "stock.warehouse",
                "view_mode": "kanban,list,form",
                "domain": "[('code', 'like', 'TL')]",
            }
        )
        Tile = cls.env["omni.dashboard.tile"]
        cls.everyone = Tile.create(
            {
                "name": "Northern sites",
                "section": "warehouse",
                "action_id": cls.action.id,
                "domain": "[('name', 'ilike', 'north')]",
            }
        )
        cls.managers = Tile.create(
            {
                "name": "All sites",
                "section": "warehouse",
                "sequence": 20,
                "action_id": cls.action.id,
                "alert": True,
                "group_ids": [Command.link(cls.env.ref("omni_base.group_omni_manager").id)],
            }
        )

    def tiles(self, user):
        return (
            self.env["omni.dashboard.tile"]
            .with_user(user)
            .search([("id", "in", (self.everyone | self.managers).ids)])
        )

    def test_dashboard_menu_opens_the_overview(self):
        menu = self.env.ref("omni_base.omni_menu_dashboard")
        self.assertEqual(menu.action, self.env.ref("omni_base.omni_dashboard_tile_action"))
        for user in (self.user_store_staff, self.user_operator, self.user_manager):
            self.assertIn(menu, self.visible_menus(user), user.login)

    def test_tiles_count_what_their_list_and_domain_hold(self):
        self.assertEqual(self.everyone.count, 1)
        self.assertEqual(self.managers.count, 2)
        self.warehouses[2].active = True
        self.managers.invalidate_recordset(["count"])
        self.assertEqual(self.managers.count, 3)

    def test_tiles_shown_to_their_groups(self):
        self.assertEqual(self.tiles(self.user_manager), self.everyone | self.managers)
        self.assertEqual(self.tiles(self.user_store_staff), self.everyone)
        self.assertEqual(self.tiles(self.user_operator), self.everyone)

    def test_domains_read_what_the_web_client_gives_them(self):
        self.everyone.domain = (
            "[('company_id', 'in', allowed_company_ids), ('create_uid', '=', uid)]"
        )
        self.assertEqual(self.everyone.count, 2)
        self.assertEqual(self.everyone.with_user(self.user_operator).count, 0)

    def test_a_tile_opens_its_list_filtered(self):
        action = self.everyone.with_user(self.user_manager).action_open()
        self.assertEqual(action["res_model"], "stock.warehouse")
        self.assertEqual(action["name"], "Northern sites")
        self.assertEqual(action["views"][0][1], "list")
        self.assertEqual(self.env["stock.warehouse"].search(action["domain"]), self.warehouses[0])

    def test_counts_are_the_users(self):
        """A user counts only what they may read: record rules apply, and a model they
        cannot read counts nothing."""
        other = self.env["res.company"].create({"name": "Tile Other Co"})
        self.env["stock.warehouse"].create(
            {"name": "Tile North Abroad", "code": "TLA", "company_id": other.id}
        )
        self.assertEqual(self.everyone.count, 2)
        self.assertEqual(self.everyone.with_user(self.user_store_staff).count, 1)
        self.everyone.action_id = self.env["ir.actions.act_window"].create(
            {"name": "Tile crons", "res_model": "ir.cron"}
        )
        self.assertEqual(self.everyone.with_user(self.user_store_staff).count, 0)

    def test_overview_is_read_only_for_its_users(self):
        Tile = self.env["omni.dashboard.tile"]
        for user in (self.user_store_staff, self.user_operator, self.user_manager):
            self.assertFalse(Tile.with_user(user).has_access("create"), user.login)
            self.assertFalse(Tile.with_user(user).has_access("write"), user.login)
