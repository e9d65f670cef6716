from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.omni_oms.models.sale_order_promise import BREAK_STAGES, PROMISE_STATUS


class OmniKpiOrder(models.Model):
    """Service level per confirmed order: promise kept or broken (on time), delivered
    in full, OTIF, cycle times from confirmation to shipping and delivery, shipments
    per order; read from the figures each order keeps (one scan of the orders).
    Rates are 100 or 0 per order (empty while not known), so that their
    average over any group is the rate in percent."""

    _name = "omni.kpi.order"
    _description = "Order Service Level"
    _auto = False
    _order = "date_confirmed desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
    team_id = fields.Many2one("crm.team", string="Channel", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Warehouse or Store", readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    kind = fields.Selection(
        [("delivery", "Delivery"), ("collect", "Click & collect")], readonly=True
    )
    date_confirmed = fields.Datetime(string="Confirmed On", readonly=True)
    shipped_date = fields.Datetime(string="Shipped On", readonly=True)
    delivered_date = fields.Datetime(string="Delivered On", readonly=True)
    promise_date = fields.Date(string="Promised Date", readonly=True)
    promise_status = fields.Selection(PROMISE_STATUS, string="Promise", readonly=True)
    break_stage = fields.Selection(BREAK_STAGES, string="Broken At", readonly=True)
    shipment_count = fields.Integer(string="Shipments", readonly=True, aggregator="avg")
    split_rate = fields.Float(string="Split Rate (%)", readonly=True, aggregator="avg")
    on_time_rate = fields.Float(string="On Time (%)", readonly=True, aggregator="avg")
    in_full_rate = fields.Float(string="In Full (%)", readonly=True, aggregator="avg")
    otif_rate = fields.Float(string="OTIF (%)", readonly=True, aggregator="avg")
    hours_to_ship = fields.Float(
        string="Confirmation to Shipping (h)", readonly=True, aggregator="avg"
    )
    hours_to_deliver = fields.Float(
        string="Confirmation to Delivery (h)", readonly=True, aggregator="avg"
    )
    hours_in_transit = fields.Float(
        string="Shipping to Delivery (h)", readonly=True, aggregator="avg"
    )

    def _select_extra(self):
        """Columns added to the view by other add-ons: an ``SQL`` fragment of
        ``, <expression> AS <column>`` items over ``so`` (the order) and their joins."""
        return SQL()

    def _from_extra(self):
        """Joins added to the view by other add-ons: an ``SQL`` fragment of
        ``LEFT JOIN ... ON ... = so.id`` clauses, one row per order kept."""
        return SQL()

    def _query(self):
        return SQL(
            """
            SELECT so.id, so.id AS order_id, so.team_id, so.company_id,
                   COALESCE(so.omni_pickup_store_id, so.omni_ship_warehouse_id,
                            so.warehouse_id) AS warehouse_id,
                   so.omni_ship_carrier_id AS carrier_id,
                   CASE WHEN so.omni_pickup_store_id IS NULL THEN 'delivery'
                        ELSE 'collect' END AS kind,
                   so.date_order AS date_confirmed,
                   so.omni_shipped_date AS shipped_date,
                   so.omni_delivered_date AS delivered_date,
                   so.omni_promise_date AS promise_date,
                   so.omni_promise_status AS promise_status,
                   so.omni_promise_break_stage AS break_stage,
                   COALESCE(so.omni_shipment_count, 0) AS shipment_count,
                   CASE WHEN so.omni_shipment_count > 1 THEN 100.0
                        WHEN so.omni_shipment_count = 1 THEN 0.0 END AS split_rate,
                   CASE so.omni_promise_status WHEN 'kept' THEN 100.0
                        WHEN 'broken' THEN 0.0 END AS on_time_rate,
                   CASE WHEN so.omni_promise_status NOT IN ('kept', 'broken') THEN NULL
                        WHEN COALESCE(so.omni_delivered_short, FALSE) THEN 0.0 ELSE 100.0
                        END AS in_full_rate,
                   CASE WHEN so.omni_promise_status NOT IN ('kept', 'broken') THEN NULL
                        WHEN so.omni_promise_status = 'kept'
                             AND NOT COALESCE(so.omni_delivered_short, FALSE)
                        THEN 100.0 ELSE 0.0 END AS otif_rate,
                   EXTRACT(EPOCH FROM so.omni_shipped_date - so.date_order) / 3600
                       AS hours_to_ship,
                   EXTRACT(EPOCH FROM so.omni_delivered_date - so.date_order) / 3600
                       AS hours_to_deliver,
                   EXTRACT(EPOCH FROM so.omni_delivered_date - so.omni_shipped_date) / 3600
                       AS hours_in_transit
                   %s
              FROM sale_order so
                   %s
             WHERE so.state = 'sale'
            """,
            self._select_extra(),
            self._from_extra(),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
