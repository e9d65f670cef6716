from odoo import models


class OmniStockPool(models.Model):
    _inherit = "omni.stock.pool"

    def _ats_locations(self):
        """Returned goods are not sold with their warehouse's stock: waiting for
        inspection, or graded for the outlet, repair or the vendor. A location of
        returned goods the pool names among its own locations (an outlet) is sold."""
        locations = super()._ats_locations()
        if not self.warehouse_ids:
            return locations
        Location = self.env["stock.location"].sudo().with_context(active_test=False)
        set_aside = Location.search(
            [("omni_return_usage", "!=", False), ("warehouse_id", "in", self.warehouse_ids.ids)]
        )
        if self.location_ids:
            set_aside -= Location.search([("id", "child_of", self.location_ids.ids)])
        if not set_aside:
            return locations
        excluded = set(Location.search([("id", "child_of", set_aside.ids)]).ids)
        if self.location_ids:
            excluded -= set(Location.search([("id", "child_of", self.location_ids.ids)]).ids)
        return [
            (location, warehouse) for location, warehouse in locations if location not in excluded
        ]
