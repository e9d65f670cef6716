from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _set_pickup_location(self, pickup_location_data):
        result = super()._set_pickup_location(pickup_location_data)
        self._omni_sync_website_pickup_store()
        return result

    def set_delivery_line(self, carrier, amount):
        result = super().set_delivery_line(carrier, amount)
        self._omni_sync_website_pickup_store()
        return result

    def _omni_sync_website_pickup_store(self):
        """The store a customer picked at the website checkout becomes the order's
        pickup store when it is an Omni store offering click & collect."""
        for order in self:
            store = order.warehouse_id
            in_store = (
                order.carrier_id.delivery_type == "in_store"
                and order.pickup_location_data
                and store.omni_is_store
                and store.omni_click_collect
            )
            if in_store and order.omni_pickup_store_id != store:
                order.omni_pickup_store_id = store
            elif not in_store and order.omni_pickup_store_id:
                order.omni_pickup_store_id = False
