from odoo import Command, api, fields, models

# The fields that make a warehouse a store offering click & collect
CLICK_COLLECT_FIELDS = ("omni_is_store", "omni_click_collect")


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    # The hours the website shows for in-store pickup are the store's own.
    opening_hours = fields.Many2one(
        compute="_compute_opening_hours", store=True, readonly=False, precompute=True
    )

    @api.depends("omni_opening_hours_id")
    def _compute_opening_hours(self):
        for warehouse in self.filtered("omni_opening_hours_id"):
            warehouse.opening_hours = warehouse.omni_opening_hours_id

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses._omni_click_collect_stores()._omni_offer_at_website_pickup()
        return warehouses

    def write(self, vals):
        if not any(field in vals for field in CLICK_COLLECT_FIELDS):
            return super().write(vals)
        offering = self._omni_click_collect_stores()
        result = super().write(vals)
        stores = self._omni_click_collect_stores()
        (stores - offering)._omni_offer_at_website_pickup()
        (offering - stores)._omni_withdraw_from_website_pickup()
        return result

    def _omni_click_collect_stores(self):
        return self.filtered(lambda store: store.omni_is_store and store.omni_click_collect)

    def _omni_website_pickup_methods(self):
        """The website's in-store pickup delivery methods these warehouses may be
        offered at: those of their company, or of no company."""
        return self.env["delivery.carrier"].search(
            [
                ("delivery_type", "=", "in_store"),
                ("company_id", "in", [False, *self.company_id.ids]),
            ]
        )

    def _omni_offer_at_website_pickup(self):
        """Offer these stores at the website's in-store pickup, where the customers who
        choose them go through the store workflow."""
        methods = self._omni_website_pickup_methods()
        for store in self:
            methods.filtered_domain(
                [("company_id", "in", [False, store.company_id.id])]
            ).warehouse_ids = [Command.link(store.id)]

    def _omni_withdraw_from_website_pickup(self):
        self._omni_website_pickup_methods().warehouse_ids = [
            Command.unlink(store.id) for store in self
        ]
