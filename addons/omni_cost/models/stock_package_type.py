from odoo import fields, models


class StockPackageType(models.Model):
    _inherit = "stock.package.type"

    omni_cost_amount = fields.Float(
        string="Packaging Cost",
        digits="Product Price",
        help="Cost of one package of this type (box, filling, tape), in the company's currency.",
    )

    _sql_constraints = (
        ("omni_cost_amount_positive", "CHECK(omni_cost_amount >= 0)", "A cost is not negative."),
    )
