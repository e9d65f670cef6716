# pylint: disable=consider-merging-classes-inherited
# The delivery promise in files of its own, beside the routing and store ones.
from odoo import models


class OmniStoreOrder(models.Model):
    _inherit = "omni.store.order"

    def action_ready(self):
        result = super().action_ready()
        # click & collect: the promise was the day the order is ready at the store
        for store_order in self.filtered(lambda so: so.fulfilment == "collect"):
            order = store_order.sale_order_id
            if order.omni_promise_kind == "collect":
                order._omni_promise_settle(store_order.ready_date)
        return result
