from odoo import api, fields, models
from odoo.tools import SQL

from .omni_return import IN_FLIGHT_STATES, RETURN_READERS


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_return_line_ids = fields.One2many(
        "omni.return.line", "sale_line_id", string="Return Lines", groups=RETURN_READERS
    )
    omni_qty_returning = fields.Float(
        string="Being Returned",
        digits="Product Unit of Measure",
        compute="_compute_omni_qty_returning",
        store=True,
        help="Asked for on open return requests and not received yet: it cannot be asked "
        "for again.",
    )

    @api.depends(
        "omni_return_line_ids.quantity",
        "omni_return_line_ids.qty_received",
        "omni_return_line_ids.return_id.state",
    )
    def _compute_omni_qty_returning(self):
        for line in self:
            line.omni_qty_returning = sum(
                max(return_line.quantity - return_line.qty_received, 0.0)
                for return_line in line.sudo().omni_return_line_ids
                if return_line.return_id.state in IN_FLIGHT_STATES
            )

    def _omni_lock_for_return(self):
        """Hold these lines until the transaction ends: a concurrent request returning
        them waits, then fails to serialize (and is retried) if this one returned some."""
        if self:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM sale_order_line WHERE id = ANY(%s) ORDER BY id"
                    " FOR NO KEY UPDATE",
                    sorted(self.ids),
                )
            )

    @api.model
    def _omni_return_data(self, where):
        """{line id: figures} of the returnable lines of the orders matching ``where``
        (SQL on ``sol``, the order line, and ``so``, its order), in one query: what was
        delivered and not returned or being returned yet (``returnable``, in the line's
        unit), when it was last delivered (``delivered_at``: the carrier's delivery
        date, else the validation), the product's template and category path, the
        untaxed unit price, and the order's channel, company, currency, untaxed
        amount and delivery address."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT sol.id, sol.order_id, sol.product_id, sol.product_uom,
                       pt.id AS product_tmpl_id, pc.parent_path,
                       sol.qty_delivered - COALESCE(sol.omni_qty_returning, 0) AS returnable,
                       CASE WHEN sol.product_uom_qty > 0
                            THEN sol.price_subtotal / sol.product_uom_qty ELSE 0 END AS price_unit,
                       so.name AS order_name, so.team_id, so.company_id, so.currency_id,
                       so.amount_untaxed, so.date_order, ship.country_id, ship.zip,
                       delivered.delivered_at
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner ship ON ship.id = so.partner_shipping_id
                  JOIN product_product pp ON pp.id = sol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN product_category pc ON pc.id = pt.categ_id
                  LEFT JOIN LATERAL (
                      SELECT MAX(COALESCE(p.omni_delivered_date, p.date_done, m.date))
                             AS delivered_at
                        FROM stock_move m
                        JOIN stock_location dest ON dest.id = m.location_dest_id
                        LEFT JOIN stock_picking p ON p.id = m.picking_id
                       WHERE m.sale_line_id = sol.id AND m.state = 'done'
                         AND dest.usage = 'customer' AND m.origin_returned_move_id IS NULL
                  ) delivered ON TRUE
                 WHERE %s AND sol.display_type IS NULL AND NOT COALESCE(sol.is_delivery, FALSE)
                   AND pt.type = 'consu'
              ORDER BY so.date_order DESC, so.id DESC, sol.sequence, sol.id
                """,
                where,
            )
        )
        return {row["id"]: row for row in self.env.cr.dictfetchall()}
