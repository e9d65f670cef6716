from odoo import models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    def _omni_return_location(self, usage="inspection"):
        """The warehouse's location for returned goods of ``usage`` (see
        ``stock.location.omni_return_usage``), created under the warehouse the first
        time it is needed."""
        self.ensure_one()
        Location = self.env["stock.location"].sudo()
        location = Location.search(
            [
                ("omni_return_usage", "=", usage),
                ("location_id", "=", self.view_location_id.id),
                ("company_id", "=", self.company_id.id),
            ],
            limit=1,
        )
        if not location:
            location = Location.create(self._prepare_omni_return_location_vals(usage))
        return location.with_env(self.env)

    def _prepare_omni_return_location_vals(self, usage):
        names = dict(
            self.env["stock.location"]._fields["omni_return_usage"]._description_selection(self.env)
        )
        return {
            "name": names[usage],
            "usage": "internal",
            "location_id": self.view_location_id.id,
            "company_id": self.company_id.id,
            "omni_return_usage": usage,
        }
