from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .store_common import StoreCommon

# Records of what happened: routing and the store workflow write them, nobody adds or
# deletes them by hand.
RECORD_MODELS = ("omni.routing.decision", "omni.routing.allocation", "omni.store.order")


@tagged("post_install", "-at_install")
class TestRoutingRecords(StoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="records_salesman", groups="sales_team.group_sale_salesman"
        )

    def setUp(self):
        super().setUp()
        self.add_stock(self.shirt, self.paris, 2)
        self.order = self.make_order([(self.shirt, 2)])

    def users(self):
        return {
            "logistics manager": self.user_manager,
            "warehouse operator": self.user_operator,
            "store staff": self.staff_paris,
            "salesman": self.salesman,
        }

    def records(self):
        return {
            "omni.routing.decision": self.order.omni_decision_ids,
            "omni.routing.allocation": self.order.omni_allocation_ids,
            "omni.store.order": self.order.omni_store_order_ids,
        }

    def test_nobody_adds_or_deletes_them(self):
        for model, record in self.records().items():
            self.assertTrue(record, model)
            for group, user in self.users().items():
                with self.subTest(model=model, group=group):
                    self.assertFalse(self.env[model].with_user(user).has_access("create"))
                    self.assertFalse(self.env[model].with_user(user).has_access("unlink"))
                    with self.assertRaises(AccessError):
                        record.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.env["omni.routing.allocation"].with_user(self.user_manager).create(
                {
                    "order_id": self.order.id,
                    "order_line_id": self.order.order_line.id,
                    "warehouse_id": self.lyon.id,
                    "quantity": 1,
                }
            )

    def test_their_views_offer_no_new_or_delete(self):
        for model in RECORD_MODELS:
            for group, user in self.users().items():
                if not self.env[model].with_user(user).has_access("read"):
                    continue
                views = (
                    self.env[model]
                    .with_user(user)
                    .get_views([(False, "list"), (False, "form"), (False, "kanban")])["views"]
                )
                for view_type, view in views.items():
                    root = etree.fromstring(view["arch"])
                    with self.subTest(model=model, group=group, view=view_type):
                        self.assertIn(root.get("create"), ("false", "False", "0"))
                        self.assertIn(root.get("delete"), ("false", "False", "0"))

    def test_routing_views_say_so_themselves(self):
        """Even for the superuser, who has every right, decisions and their sourcing
        show no New, Delete or Add a line (an empty grey row under the sourcing)."""
        Decision = self.env["omni.routing.decision"]
        for view_type in ("list", "form"):
            arch = Decision.get_views([(False, view_type)])["views"][view_type]["arch"]
            root = etree.fromstring(arch)
            self.assertEqual((root.get("create"), root.get("delete")), ("false", "false"))
        form = etree.fromstring(Decision.get_views([(False, "form")])["views"]["form"]["arch"])
        sourcing = form.xpath("//field[@name='allocation_ids']/list")[0]
        self.assertEqual((sourcing.get("create"), sourcing.get("delete")), ("false", "false"))
        order_form = etree.fromstring(
            self.env["sale.order"].get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in ("omni_allocation_ids", "omni_decision_ids", "omni_store_order_ids"):
            self.assertEqual(order_form.xpath(f"//field[@name='{name}']")[0].get("readonly"), "1")

    def test_store_orders_still_move_through_their_buttons(self):
        store_order = self.order.omni_store_order_ids.with_user(self.staff_paris)
        store_order.action_accept()
        store_order.action_ready()
        store_order.action_ship()
        self.assertEqual(store_order.state, "done")

    def test_managers_still_refuse_for_a_store(self):
        self.add_stock(self.shirt, self.lyon, 2)
        store_order = self.order.omni_store_order_ids.with_user(self.user_manager)
        self.env["omni.store.reject"].with_user(self.user_manager).create(
            {"store_order_ids": [Command.set(store_order.ids)], "reason": "missing"}
        ).action_reject()
        self.assertEqual(store_order.state, "rejected")
        self.assertEqual(self.order.omni_store_order_ids.store_id, self.paris | self.lyon)
