from odoo import Command
from odoo.tests import new_test_user

from .routing_common import RoutingCommon


class StoreCommon(RoutingCommon):
    """Paris and Lyon are stores with their own staff; Marseille is the warehouse
    resupplying them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hours = cls.env["resource.calendar"].create({"name": "Store Hours"})
        cls.staff_paris = new_test_user(
            cls.env, login="staff_paris", groups="omni_base.group_omni_store_staff"
        )
        cls.staff_lyon = new_test_user(
            cls.env, login="staff_lyon", groups="omni_base.group_omni_store_staff"
        )
        for store, staff in ((cls.paris, cls.staff_paris), (cls.lyon, cls.staff_lyon)):
            store.write(
                {
                    "omni_is_store": True,
                    "omni_click_collect": True,
                    "omni_opening_hours_id": cls.hours.id,
                    "omni_resupply_warehouse_id": cls.marseille.id,
                    "omni_staff_ids": [Command.set(staff.ids)],
                }
            )

    def store_order(self, order, store):
        return order.omni_store_order_ids.filtered(lambda so: so.store_id == store)

    def collect_order(self, quantity=1):
        return self.make_order([(self.shirt, quantity)], omni_pickup_store_id=self.paris.id)

    def ready_collect_order(self):
        self.add_stock(self.shirt, self.paris, 1)
        order = self.collect_order()
        store_order = order.omni_store_order_ids.with_user(self.staff_paris)
        store_order.action_accept()
        store_order.action_ready()
        return order, store_order

    def counter(self, user, **vals):
        return self.env["omni.store.counter"].with_user(user).create(vals)

    def timeline(self, order):
        return "\n".join(order.message_ids.mapped("body"))

    def customer_messages(self, order, subject_part=""):
        """What the customer was sent about ``order`` (notifications only they read)."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("partner_ids", "in", self.customer.ids),
                ("subject", "ilike", subject_part),
            ]
        )
