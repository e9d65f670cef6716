from odoo import fields, models, tools
from odoo.tools import SQL

from .omni_wave_rule import ORDER_TYPES

# per-hour figures are ratios of sums, not sums of ratios
RATIOS = {
    "lines_per_hour": ("line_count", "hours"),
    "units_per_hour": ("units", "hours"),
}


class OmniPickProductivity(models.Model):
    """One picked line of a wave: who picked it, when, how long it took since the
    operator's previous pick in the wave (or the start of the wave) and its share of the
    metres walked along the wave's route."""

    _name = "omni.pick.productivity"
    _description = "Picking Productivity"
    _auto = False
    _order = "picked_date desc"

    picked_date = fields.Datetime("Picked On", readonly=True)
    batch_id = fields.Many2one("stock.picking.batch", "Wave", readonly=True)
    picker_id = fields.Many2one("res.users", "Operator", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    wave_type = fields.Selection(ORDER_TYPES, readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    line_count = fields.Integer("Lines", readonly=True)
    units = fields.Float(readonly=True, digits="Product Unit of Measure")
    hours = fields.Float(readonly=True, digits=(16, 4))
    metres = fields.Float("Metres Walked", readonly=True, digits=(16, 1))
    lines_per_hour = fields.Float("Lines per Hour", readonly=True, digits=(16, 1))
    units_per_hour = fields.Float("Units per Hour", readonly=True, digits=(16, 1))

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(table)s AS (
                    SELECT line.id, line.omni_picked_date AS picked_date,
                           line.batch_id, line.omni_picker_id AS picker_id,
                           type.warehouse_id, line.company_id,
                           wave.omni_wave_type AS wave_type, line.product_id,
                           1 AS line_count, line.quantity AS units,
                           EXTRACT(EPOCH FROM line.omni_picked_date - COALESCE(
                               LAG(line.omni_picked_date) OVER (
                                   PARTITION BY line.batch_id, line.omni_picker_id
                                   ORDER BY line.omni_picked_date, line.id),
                               wave.omni_start_date, line.omni_picked_date)) / 3600.0 AS hours,
                           COALESCE(wave.omni_route_length, 0) / COUNT(*) OVER (
                               PARTITION BY line.batch_id) AS metres,
                           0.0 AS lines_per_hour, 0.0 AS units_per_hour
                      FROM stock_move_line line
                      JOIN stock_picking_batch wave ON wave.id = line.batch_id
                      JOIN stock_picking_type type ON type.id = wave.picking_type_id
                     WHERE wave.is_wave AND line.omni_picked_date IS NOT NULL
                )
                """,
                table=SQL.identifier(self._table),
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        fname, _sep, _func = aggregate_spec.partition(":")
        if fname in RATIOS:
            numerator, denominator = RATIOS[fname]
            return SQL(
                "COALESCE(SUM(%s) / NULLIF(SUM(%s), 0), 0)",
                self._field_to_sql(self._table, numerator, query),
                self._field_to_sql(self._table, denominator, query),
            )
        return super()._read_group_select(aggregate_spec, query)
