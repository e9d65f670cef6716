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

    # Routing -------------------------------------------------------------------
    omni_daily_order_capacity = fields.Integer(
        string="Daily Order Capacity",
        help="How many orders routing may give this location per day; 0 means no limit.",
    )
    omni_routing_priority = fields.Integer(
        string="Routing Priority",
        help="Used by routing rules sorting candidates by priority: lower comes first.",
    )
    omni_shipping_base_cost = fields.Float(
        string="Shipment Base Cost",
        digits="Product Price",
        help="Estimated fixed cost of one shipment leaving this location.",
    )
    omni_shipping_cost_per_kg = fields.Float(string="Shipment Cost per kg", digits="Product Price")
    omni_shipping_cost_per_km = fields.Float(
        string="Shipment Cost per km",
        digits="Product Price",
        help="Estimated cost per kilometre between this location and the customer.",
    )
