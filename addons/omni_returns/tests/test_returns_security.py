from ast import literal_eval

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnsSecurity(ReturnsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order(qty=3, team_id=cls.channel.id)
        cls.order.action_confirm()
        picking = cls.order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        picking.with_context(skip_sms=True).button_validate()
        Return = cls.env["omni.return"]
        line = cls.order.order_line
        cls.at_paris = Return._create_request(
            cls.order, [(line, 1, cls.reason_mind)], "backend", store=cls.paris
        )
        cls.at_lyon = Return._create_request(
            cls.order, [(line, 1, cls.reason_mind)], "backend", store=cls.lyon
        )
        cls.at_warehouse = Return._create_request(
            cls.order, [(line, 1, cls.reason_mind)], "backend"
        )

    def test_store_staff_see_their_store_returns_only(self):
        Return = self.env["omni.return"].with_user(self.staff_paris)
        self.assertEqual(Return.search([("sale_order_id", "=", self.order.id)]), self.at_paris)
        self.assertEqual(
            self.env["omni.return.line"]
            .with_user(self.staff_paris)
            .search([("sale_order_id", "=", self.order.id)]),
            self.at_paris.line_ids,
        )
        with self.assertRaises(AccessError):
            self.at_lyon.with_user(self.staff_paris).read(["name"])
        with self.assertRaises(AccessError):
            self.at_warehouse.with_user(self.staff_paris).read(["name"])
        self.assertEqual(
            self.order.with_user(self.staff_paris).read(["name"])[0]["name"], self.order.name
        )

    def test_store_staff_cannot_receive_another_store_returns(self):
        with self.assertRaises(AccessError):
            self.at_lyon.with_user(self.staff_paris).action_receive()
        with self.assertRaises(AccessError):
            self.at_lyon.with_user(self.staff_paris).action_inspect()
        self.assertEqual(self.at_lyon.state, "awaiting")
        self.at_lyon.with_user(self.staff_lyon).action_receive()
        self.assertEqual(self.at_lyon.state, "received")

    def test_counter_takes_returns_for_its_own_store_only(self):
        Return = self.env["omni.return"].with_user(self.staff_paris)
        with self.assertRaisesRegex(AccessError, "not on the staff of Returns Lyon"):
            Return._create_request(
                self.order, [(self.order.order_line, 1, self.reason_mind)], "store", store=self.lyon
            )

    def test_accountants_read_and_refund_but_do_not_approve_or_request(self):
        Return = self.env["omni.return"].with_user(self.accountant)
        self.assertEqual(
            Return.search([("sale_order_id", "=", self.order.id)]),
            self.at_paris | self.at_lyon | self.at_warehouse,
        )
        with self.assertRaises(AccessError):
            self.at_warehouse.with_user(self.accountant).action_approve()
        with self.assertRaises(AccessError):
            Return._create_request(
                self.order, [(self.order.order_line, 1, self.reason_mind)], "backend"
            )
        self.assertTrue(self.env["omni.return.report"].with_user(self.accountant).search([]))

    def test_salesmen_request_from_the_backend(self):
        with self.assertRaisesRegex(UserError, "all returned or being returned"):
            self.order.with_user(self.salesman).action_omni_return()
        self.at_warehouse.with_user(self.salesman).action_cancel()
        action = self.order.with_user(self.salesman).action_omni_return()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.salesman).with_context(**action["context"])
        )
        with wizard.line_ids.edit(0) as line:
            self.assertEqual(line.qty_returnable, 1)
            line.quantity = 1
            line.reason_id = self.reason_check
        rma = self.env["omni.return"].browse(wizard.save().action_create()["res_id"])
        self.assertEqual(rma.state, "requested")
        with self.assertRaises(AccessError):
            rma.with_user(self.salesman).action_approve()

    def test_users_outside_returns_see_nothing(self):
        with self.assertRaises(AccessError):
            self.env["omni.return"].with_user(self.user_internal).search([])

    def test_return_transfers_menu(self):
        action = self.env.ref("omni_returns.stock_picking_action_return")
        found = self.env["stock.picking"].search(literal_eval(action.domain))
        self.assertIn(self.at_paris.picking_ids, found)
        self.assertNotIn(self.at_paris.picking_ids.return_id, found)
        menus = self.env.ref("omni_returns.stock_picking_menu_return") | self.env.ref(
            "omni_returns.omni_return_menu"
        )
        self.assertEqual(self.visible_menus(self.user_store_staff) & menus, menus)
        self.assertFalse(self.visible_menus(self.user_internal) & menus)
        report = self.env.ref("omni_returns.omni_return_report_menu")
        self.assertIn(report, self.visible_menus(self.user_manager))
        self.assertNotIn(report, self.visible_menus(self.user_store_staff))
