from odoo import models
from odoo.tools import SQL


class OmniStockPool(models.Model):
    _inherit = "omni.stock.pool"

    def _ats_locations(self, keys):
        """Returned goods are not sold with their warehouse's stock: waiting for
        inspection, or graded for the outlet, repair or the vendor. Those in a location
        the pool names among its own (an outlet) are sold."""
        locations = super()._ats_locations(keys)
        pools = {key: pool for pool, key in keys.items() if pool.warehouse_ids}
        candidates = [
            (key, location_id)
            for key, pool_locations in locations.items()
            if key in pools
            for location_id, _warehouse in pool_locations
        ]
        if not candidates:
            return locations
        warehouses = [(key, id_) for key, pool in pools.items() for id_ in pool.warehouse_ids.ids]
        own = [(key, id_) for key, pool in pools.items() for id_ in pool.location_ids.ids]
        self.env.cr.execute(
            SQL(
                """
                SELECT c.pool_key, c.location_id
                  FROM unnest(%(candidate_keys)s::int[], %(candidates)s::int[])
                       AS c(pool_key, location_id)
                  JOIN stock_location loc ON loc.id = c.location_id
                 WHERE EXISTS (
                       SELECT 1
                         FROM unnest(%(warehouse_keys)s::int[], %(warehouses)s::int[])
                              AS w(pool_key, warehouse_id)
                         JOIN stock_location set_aside
                           ON set_aside.warehouse_id = w.warehouse_id
                          AND set_aside.omni_return_usage IS NOT NULL
                        WHERE w.pool_key = c.pool_key
                          AND loc.parent_path LIKE set_aside.parent_path || %(descendants)s
                   )
                   AND NOT EXISTS (
                       SELECT 1
                         FROM unnest(%(own_keys)s::int[], %(own)s::int[])
                              AS o(pool_key, location_id)
                         JOIN stock_location own ON own.id = o.location_id
                        WHERE o.pool_key = c.pool_key
                          AND loc.parent_path LIKE own.parent_path || %(descendants)s
                   )
                """,
                candidate_keys=[key for key, _location in candidates],
                candidates=[location for _key, location in candidates],
                warehouse_keys=[key for key, _warehouse in warehouses],
                warehouses=[warehouse for _key, warehouse in warehouses],
                own_keys=[key for key, _location in own],
                own=[location for _key, location in own],
                descendants="%",
            )
        )
        excluded = set(self.env.cr.fetchall())
        return {
            key: [
                (location_id, warehouse)
                for location_id, warehouse in pool_locations
                if (key, location_id) not in excluded
            ]
            for key, pool_locations in locations.items()
        }
