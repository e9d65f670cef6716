from odoo import fields, models, tools
from odoo.tools import SQL


class OmniKpiShipment(models.Model):
    """Carriers against their own transit promise: per outbound shipment, the transit
    days of the carrier's table for the customer's zone against the carrier working
    days (Monday to Friday) it took from shipping to delivery."""

    _name = "omni.kpi.shipment"
    _description = "Carrier On-Time"
    _auto = False
    _order = "shipped_date desc"
    _rec_name = "shipment_id"

    shipment_id = fields.Many2one("omni.shipment", readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Shipped From", readonly=True)
    team_id = fields.Many2one("crm.team", string="Channel", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    shipped_date = fields.Datetime(string="Shipped On", readonly=True)
    delivered_date = fields.Datetime(string="Delivered On", readonly=True)
    promised_days = fields.Float(string="Transit Promised (days)", readonly=True, aggregator="avg")
    transit_days = fields.Float(string="Transit Taken (days)", readonly=True, aggregator="avg")
    on_time_rate = fields.Float(string="On Time (%)", readonly=True, aggregator="avg")

    def _query(self):
        return SQL(
            """
            SELECT s.id, s.id AS shipment_id, s.carrier_id, s.company_id,
                   t.warehouse_id, sale.team_id, partner.country_id,
                   p.date_done AS shipped_date, s.delivered_date,
                   zone.transit_days AS promised_days,
                   taken.days AS transit_days,
                   CASE WHEN zone.transit_days IS NULL OR s.delivered_date IS NULL THEN NULL
                        WHEN taken.days <= zone.transit_days THEN 100.0 ELSE 0.0 END
                       AS on_time_rate
              FROM omni_shipment s
              JOIN stock_picking p ON p.id = s.picking_id
              JOIN stock_picking_type t ON t.id = p.picking_type_id
         LEFT JOIN sale_order sale ON sale.id = p.sale_id
         LEFT JOIN res_partner partner ON partner.id = p.partner_id
         LEFT JOIN LATERAL (
                    SELECT tr.transit_days
                      FROM omni_carrier_transit tr
                     WHERE tr.carrier_id = s.carrier_id AND tr.company_id = s.company_id
                       AND tr.active
                       AND (tr.country_id IS NULL OR tr.country_id = partner.country_id)
                       AND REPLACE(UPPER(COALESCE(partner.zip, '')), ' ', '')
                           LIKE COALESCE(tr.zip_prefix, '') || '%%'
                     ORDER BY tr.country_id IS NULL, LENGTH(COALESCE(tr.zip_prefix, '')) DESC
                     LIMIT 1
                   ) zone ON TRUE
         LEFT JOIN LATERAL (
                    SELECT COUNT(*) AS days
                      FROM generate_series(p.date_done::date + 1, s.delivered_date::date,
                                           INTERVAL '1 day') day
                     WHERE EXTRACT(ISODOW FROM day) < 6
                   ) taken ON s.delivered_date IS NOT NULL AND p.date_done IS NOT NULL
             WHERE s.kind = 'outbound' AND s.state = 'done'
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
