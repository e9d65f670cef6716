from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    omni_is_store = fields.Boolean(
        string="Is a Store",
        help="Shops that sell over the counter and can fulfil orders: ship-from-store "
        "and click & collect.",
    )
    omni_opening_hours_id = fields.Many2one(
        "resource.calendar",
        string="Opening Hours",
        help="When customers can collect their orders at this store.",
    )
