from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.omni_return import REQUEST_CHANNELS
from ..models.omni_return_grade import DISPOSITIONS


class OmniReturnReport(models.Model):
    """Units sold and returned, for the returns rate by product, category, channel,
    country, and returned units by reason, grade and where they were received.

    Rows of three kinds: the units of confirmed order lines (sold), the units of
    return lines graded (with their grade), and those not graded yet. Units are in the
    product's unit; refused and cancelled returns do not count.
    """

    _name = "omni.return.report"
    _description = "Returns Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "product_id"

    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Channel", readonly=True)
    channel = fields.Selection(REQUEST_CHANNELS, string="Requested From", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one("res.country", string="Customer Country", readonly=True)
    return_id = fields.Many2one("omni.return", readonly=True)
    reason_id = fields.Many2one("omni.return.reason", readonly=True)
    grade_id = fields.Many2one("omni.return.grade", readonly=True)
    disposition = fields.Selection(DISPOSITIONS, readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Received at", readonly=True)
    qty_sold = fields.Float(string="Units Sold", readonly=True, digits="Product Unit of Measure")
    qty_returned = fields.Float(
        string="Units Returned", readonly=True, digits="Product Unit of Measure"
    )
    return_rate = fields.Float(
        string="Returns Rate (%)",
        readonly=True,
        aggregator="sum",
        help="Units returned per 100 units sold, in the group shown.",
    )

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "return_rate:sum":
            sold = self._field_to_sql(self._table, "qty_sold", query)
            returned = self._field_to_sql(self._table, "qty_returned", query)
            return SQL(
                "CASE WHEN SUM(%s) != 0 THEN SUM(%s) / SUM(%s) * 100 ELSE NULL END",
                sold,
                returned,
                sold,
            )
        return super()._read_group_select(aggregate_spec, query)

    def _query(self):
        returned_columns = SQL(
            """
            r.date_request AS date, r.company_id, r.team_id, r.channel, rl.product_id,
            pt.categ_id, r.partner_id, ship.country_id, r.id AS return_id, rl.reason_id
            """
        )
        returned_joins = SQL(
            """
            JOIN omni_return r ON r.id = rl.return_id
            JOIN sale_order_line sol ON sol.id = rl.sale_line_id
            JOIN sale_order so ON so.id = sol.order_id
            JOIN res_partner ship ON ship.id = so.partner_shipping_id
            JOIN uom_uom line_uom ON line_uom.id = sol.product_uom
            JOIN product_product pp ON pp.id = rl.product_id
            JOIN product_template pt ON pt.id = pp.product_tmpl_id
            JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
            """
        )
        return SQL(
            """
            SELECT sol.id * 3 AS id, so.date_order AS date, so.company_id, so.team_id,
                   NULL AS channel, sol.product_id, pt.categ_id, so.partner_id,
                   ship.country_id, NULL::int AS return_id, NULL::int AS reason_id,
                   NULL::int AS grade_id, NULL AS disposition, NULL::int AS warehouse_id,
                   sol.product_uom_qty / line_uom.factor * product_uom.factor AS qty_sold,
                   0::float AS qty_returned, 0::float AS return_rate
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner ship ON ship.id = so.partner_shipping_id
              JOIN uom_uom line_uom ON line_uom.id = sol.product_uom
              JOIN product_product pp ON pp.id = sol.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
             WHERE so.state = 'sale' AND sol.display_type IS NULL AND pt.type = 'consu'
               AND NOT COALESCE(sol.is_delivery, FALSE)
            UNION ALL
            SELECT g.id * 3 + 1, %(columns)s, g.grade_id, grade.disposition, r.warehouse_id,
                   0::float, g.quantity / line_uom.factor * product_uom.factor, 0::float
              FROM omni_return_grading g
              JOIN omni_return_line rl ON rl.id = g.line_id
              JOIN omni_return_grade grade ON grade.id = g.grade_id
              %(joins)s
             WHERE r.state NOT IN ('refused', 'cancel')
            UNION ALL
            SELECT rl.id * 3 + 2, %(columns)s, NULL::int, NULL, r.warehouse_id, 0::float,
                   (rl.quantity - COALESCE(rl.qty_graded, 0)) / line_uom.factor
                   * product_uom.factor,
                   0::float
              FROM omni_return_line rl
              %(joins)s
             WHERE r.state NOT IN ('refused', 'cancel')
               AND rl.quantity - COALESCE(rl.qty_graded, 0) > 0
            """,
            columns=returned_columns,
            joins=returned_joins,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
