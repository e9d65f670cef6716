from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AtsCommon


@tagged("post_install", "-at_install")
class TestAtsSecurity(AtsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.dc.lot_stock_id, 4)
        cls.salesman = new_test_user(
            cls.env, login="ats_sec_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.other_company = cls.env["res.company"].create({"name": "ATS Second Company"})
        cls.other_warehouse = cls.env["stock.warehouse"].create(
            {"name": "Second depot", "code": "ATS2", "company_id": cls.other_company.id}
        )
        cls.other_pool = cls.env["omni.stock.pool"].create(
            {
                "name": "Second pool",
                "company_id": cls.other_company.id,
                "warehouse_ids": [Command.link(cls.other_warehouse.id)],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.lamp, cls.other_warehouse.lot_stock_id, 9
        )
        cls.publish_ats()

    def test_managers_configure_pools_and_buffers(self):
        pool = (
            self.env["omni.stock.pool"]
            .with_user(self.user_manager)
            .create({"name": "Manager pool", "warehouse_ids": [Command.link(self.store.id)]})
        )
        pool.buffer_ids = [Command.create({"buffer_type": "fixed", "quantity": 1})]
        pool.incoming_days = 3
        pool.unlink()

    def test_staff_and_operators_read_but_do_not_configure(self):
        for user in (self.user_store_staff, self.user_operator):
            pool = self.pool.with_user(user)
            self.assertEqual(pool._get_ats(self.lamp), {self.lamp.id: 4})
            rows = self.env["omni.stock.pool.ats"].with_user(user).search([])
            self.assertIn(self.lamp, rows.product_id)
            self.assertEqual(rows.filtered(lambda row: row.product_id == self.lamp).qty_on_hand, 4)
            with self.assertRaises(AccessError):
                pool.write({"incoming_days": 2})
            with self.assertRaises(AccessError):
                self.env["omni.stock.pool.buffer"].with_user(user).create(
                    {"pool_id": self.pool.id, "buffer_type": "fixed", "quantity": 1}
                )
            with self.assertRaises(AccessError):
                self.env["omni.stock.pool"].with_user(user).create(
                    {"name": "Nope", "warehouse_ids": [Command.link(self.dc.id)]}
                )

    def test_salespeople_get_the_figures_of_their_channel_only(self):
        self.assertEqual(self.pool.with_user(self.salesman)._get_ats(self.lamp), {self.lamp.id: 4})
        with self.assertRaises(AccessError):
            self.env["omni.stock.pool.ats"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.pool.with_user(self.salesman).write({"block_oversell": True})

    def test_other_users_see_nothing(self):
        with self.assertRaises(AccessError):
            self.pool.with_user(self.user_internal)._get_ats(self.lamp)
        with self.assertRaises(AccessError):
            self.env["omni.stock.pool.ats"].with_user(self.user_internal).search([])

    def test_companies_are_kept_apart(self):
        manager = self.user_manager
        pools = self.env["omni.stock.pool"].with_user(manager).search([])
        self.assertIn(self.pool, pools)
        self.assertNotIn(self.other_pool, pools)
        rows = self.env["omni.stock.pool.ats"].with_user(manager).search([])
        self.assertNotIn(self.other_pool, rows.pool_id)
        with self.assertRaises(AccessError):
            self.other_pool.with_user(manager)._get_ats(self.lamp)
        self.assertEqual(self.other_pool._get_ats(self.lamp), {self.lamp.id: 9})
        self.assertEqual(self.pool._get_ats(self.lamp), {self.lamp.id: 4})
        manager.company_ids = [Command.link(self.other_company.id)]
        both = (
            self.env["omni.stock.pool"]
            .with_user(manager)
            .with_context(allowed_company_ids=(self.env.company | self.other_company).ids)
        )
        self.assertIn(self.other_pool, both.search([]))

    def test_product_form_shows_the_pools_to_stock_users_only(self):
        template = self.lamp.product_tmpl_id
        rows = template.with_user(self.user_store_staff).omni_ats_ids
        self.assertEqual(rows.pool_id, self.pool)
        self.assertEqual(rows.qty_ats, 4)
        with self.assertRaises(AccessError):
            template.with_user(self.salesman).read(["omni_ats_ids"])
