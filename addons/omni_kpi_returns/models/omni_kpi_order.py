from odoo import fields, models
from odoo.tools import SQL

# Returns that bring goods back or may still do: all but cancelled and refused ones.
LIVE_RETURN = SQL("r.state NOT IN ('cancel', 'refused')")


class OmniKpiOrder(models.Model):
    """Returns of each order: returned or not, units ordered and returned. The returns
    rate is 100 or 0 per order, so that its average over any group is the share of
    the orders returned, in percent."""

    _inherit = "omni.kpi.order"

    returned = fields.Boolean(readonly=True)
    returns_rate = fields.Float(string="Returns Rate (%)", readonly=True, aggregator="avg")
    ordered_qty = fields.Float(
        string="Units Ordered", readonly=True, aggregator="sum", digits="Product Unit of Measure"
    )
    returned_qty = fields.Float(
        string="Units Returned", readonly=True, aggregator="sum", digits="Product Unit of Measure"
    )

    def _select_extra(self):
        return SQL(
            """%s,
                   omni_ret.sale_order_id IS NOT NULL AS returned,
                   CASE WHEN omni_ret.sale_order_id IS NULL THEN 0.0 ELSE 100.0 END
                       AS returns_rate,
                   COALESCE(omni_ordered.quantity, 0.0) AS ordered_qty,
                   COALESCE(omni_ret.quantity, 0.0) AS returned_qty""",
            super()._select_extra(),
        )

    def _from_extra(self):
        return SQL(
            """%s
                   LEFT JOIN (
                       SELECT r.sale_order_id, SUM(l.quantity) AS quantity
                         FROM omni_return r
                         JOIN omni_return_line l ON l.return_id = r.id
                        WHERE %s
                     GROUP BY r.sale_order_id
                   ) omni_ret ON omni_ret.sale_order_id = so.id
                   LEFT JOIN (
                       SELECT sol.order_id, SUM(sol.product_uom_qty) AS quantity
                         FROM sale_order_line sol
                         JOIN product_product pp ON pp.id = sol.product_id
                         JOIN product_template pt ON pt.id = pp.product_tmpl_id
                        WHERE pt.type = 'consu'
                     GROUP BY sol.order_id
                   ) omni_ordered ON omni_ordered.order_id = so.id""",
            super()._from_extra(),
            LIVE_RETURN,
        )
