from odoo.tests import tagged

from .common import CostCommon


@tagged("post_install", "-at_install")
class TestCostAccess(CostCommon):
    def test_standard_users_read_what_omni_cost_adds(self):
        """What the cost add-on adds to Odoo's own records locks nobody out of them
        (on sales orders it adds only fields of the cost readers' groups, read in
        test_accountants_read_store_staff_cannot)."""
        order = self.order([(self.lamp, 2), (self.rug, 1)])
        self.ship(self.picking_of(order, self.dc), 120.0, self.box, price=7.5)
        self.cost(order)
        analytic = self.env["account.analytic.line"].search(
            [("omni_order_id", "=", order.id)], limit=1
        )
        self.assert_standard_users_read(
            "omni_cost",
            [
                self.dc,
                self.channel,
                self.carrier,
                self.box,
                self.company,
                self.env.ref("omni_returns.omni_return_grade_c"),
                analytic,
            ],
        )

    def test_menus(self):
        """Accountants find the costs and the invoice audit in Invoicing, logistics
        managers in Omni; store staff and operators find neither."""
        menus = {
            "omni_cost.omni_order_cost_menu_accounting": (self.accountant, self.auditor),
            "omni_cost.omni_carrier_invoice_menu_accounting": (self.accountant,),
            "omni_cost.omni_order_cost_menu": (self.user_manager,),
            "omni_cost.omni_carrier_invoice_menu": (self.user_manager,),
            "omni_cost.omni_carrier_invoice_import_menu_omni": (self.user_manager,),
            "omni_cost.omni_carrier_invoice_import_menu": (self.accountant,),
        }
        for xmlid, readers in menus.items():
            menu = self.env.ref(xmlid)
            for user in readers:
                with self.subTest(menu=xmlid, user=user.login):
                    self.assertIn(menu, self.visible_menus(user))
            for user in (self.user_store_staff, self.user_operator):
                with self.subTest(menu=xmlid, user=user.login):
                    self.assertNotIn(menu, self.visible_menus(user))
