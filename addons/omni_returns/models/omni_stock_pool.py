from odoo import models
from odoo.tools import SQL


class OmniStockPool(models.Model):
    _inherit = "omni.stock.pool"

    def _ats_locations(self):
        """Returned goods are not sold with their warehouse's stock: waiting for
        inspection, or graded for the outlet, repair or the vendor. Those in a location
        the pool names among its own (an outlet) are sold."""
        locations = super()._ats_locations()
        if not locations or not self.warehouse_ids:
            return locations
        self.env.cr.execute(
            SQL(
                """
                SELECT loc.id
                  FROM stock_location loc
                  JOIN stock_location set_aside
                    ON loc.parent_path LIKE set_aside.parent_path || %(descendants)s
                 WHERE loc.id = ANY(%(locations)s::int[])
                   AND set_aside.omni_return_usage IS NOT NULL
                   AND set_aside.warehouse_id = ANY(%(warehouses)s::int[])
                   AND NOT EXISTS (
                       SELECT 1 FROM stock_location own
                        WHERE own.id = ANY(%(own)s::int[])
                          AND loc.parent_path LIKE own.parent_path || %(descendants)s
                   )
                """,
                descendants="%",
                locations=[location_id for location_id, _warehouse in locations],
                warehouses=self.warehouse_ids.ids,
                own=self.location_ids.ids,
            )
        )
        excluded = {location_id for (location_id,) in self.env.cr.fetchall()}
        return [
            (location_id, warehouse)
            for location_id, warehouse in locations
            if location_id not in excluded
        ]
