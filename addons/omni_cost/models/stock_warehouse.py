from odoo import api, fields, models


class StockWarehouse(models.Model):
    """Engineered standards and labour rate of a warehouse or a store, used to cost
    the work each order takes there."""

    _inherit = "stock.warehouse"

    omni_cost_currency_id = fields.Many2one(related="company_id.currency_id")
    omni_cost_labour_rate = fields.Monetary(
        string="Labour Rate per Hour",
        currency_field="omni_cost_currency_id",
        help="Loaded cost of one hour of work here (wages and charges).",
    )
    omni_cost_walk_speed = fields.Float(
        string="Walking Speed (m/min)",
        default=60.0,
        help="Metres an operator walks per minute along a pick route.",
    )
    omni_cost_line_seconds = fields.Float(
        string="Handling per Line (s)", help="Seconds to pick one line of a delivery."
    )
    omni_cost_unit_seconds = fields.Float(
        string="Handling per Unit (s)", help="Seconds to pick one more unit."
    )
    omni_cost_parcel_seconds = fields.Float(
        string="Packing per Parcel (s)", help="Seconds to pack and label one parcel."
    )
    omni_cost_store_order_minutes = fields.Float(
        string="Store Handling per Order (min)",
        help="Minutes the store spends on a ship-from-store or click & collect order "
        "(picking, packing or handing over).",
    )
    omni_cost_inspection_seconds = fields.Float(
        string="Return Inspection per Unit (s)",
        help="Seconds to inspect and grade one returned unit here.",
    )
    omni_cost_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Fulfilment Analytic Account",
        copy=False,
        help="Where the costs of the work done here are posted; made by the first costing.",
    )

    _sql_constraints = (
        (
            "omni_cost_positive",
            (
                "CHECK(omni_cost_labour_rate >= 0 AND omni_cost_walk_speed >= 0 "
                "AND omni_cost_line_seconds >= 0 AND omni_cost_unit_seconds >= 0 "
                "AND omni_cost_parcel_seconds >= 0 AND omni_cost_store_order_minutes >= 0 "
                "AND omni_cost_inspection_seconds >= 0)"
            ),
            "Labour rates and standard times cannot be negative.",
        ),
    )

    @api.model
    def _omni_cost_rate_fields(self):
        return [
            "omni_cost_labour_rate",
            "omni_cost_walk_speed",
            "omni_cost_line_seconds",
            "omni_cost_unit_seconds",
            "omni_cost_parcel_seconds",
            "omni_cost_store_order_minutes",
            "omni_cost_inspection_seconds",
        ]
