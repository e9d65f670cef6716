from odoo import api, fields, models

# Locations of a warehouse holding returned goods, none of them sold as new stock.
RETURN_USAGES = [
    ("inspection", "Returns to inspect"),
    ("outlet", "Outlet"),
    ("repair", "Repair"),
    ("vendor", "Return to vendor"),
]


class StockLocation(models.Model):
    _inherit = "stock.location"

    omni_return_usage = fields.Selection(
        RETURN_USAGES,
        string="Returned Goods",
        copy=False,
        help="Returned goods waiting for inspection, or graded for the outlet, repair or "
        "the vendor. A stock pool selling a warehouse does not sell them; add an outlet "
        "location to a pool's locations to sell its goods.",
    )

    @api.model
    def _omni_scrap_location(self, company):
        return self.search(
            [("scrap_location", "=", True), ("company_id", "in", [company.id, False])],
            order="company_id, id",
            limit=1,
        )
