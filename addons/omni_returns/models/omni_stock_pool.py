from odoo import models
from odoo.tools import SQL

from odoo.addons.omni_oms.models.omni_stock_pool import _table_sql

KEYED_IDS = [("pool_key", "int"), ("id", "int")]


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
                SELECT c.pool_key, c.id
                  FROM (%(candidates)s) c
                  JOIN stock_location loc ON loc.id = c.id
                 WHERE EXISTS (
                       SELECT 1
                         FROM (%(warehouses)s) w
                         JOIN stock_location set_aside
                           ON set_aside.warehouse_id = w.id
                          AND set_aside.omni_return_usage IS NOT NULL
                        WHERE w.pool_key = c.pool_key
                          AND loc.parent_path LIKE set_aside.parent_path || %(descendants)s
                   )
                   AND NOT EXISTS (
                       SELECT 1
                         FROM (%(own)s) o
                         JOIN stock_location own ON own.id = o.id
                        WHERE o.pool_key = c.pool_key
                          AND loc.parent_path LIKE own.parent_path || %(descendants)s
                   )
                """,
                candidates=_table_sql(KEYED_IDS, candidates),
                warehouses=_table_sql(KEYED_IDS, warehouses),
                own=_table_sql(KEYED_IDS, own),
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
