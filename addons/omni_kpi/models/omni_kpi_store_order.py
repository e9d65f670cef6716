from odoo import fields, models, tools
from odoo.tools import SQL


class OmniKpiStoreOrder(models.Model):
    """Store service per store order: how long stores take to accept and to have
    orders ready, how often they refuse them, how many click & collect orders are
    collected. Rates are 100 or 0 per store order (empty while not known)."""

    _name = "omni.kpi.store.order"
    _description = "Store Service Level"
    _auto = False
    _order = "date desc"
    _rec_name = "store_order_id"

    store_order_id = fields.Many2one("omni.store.order", readonly=True)
    store_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("crm.team", string="Channel", readonly=True)
    fulfilment = fields.Selection(
        [("ship", "Ship from store"), ("collect", "Click & collect")], readonly=True
    )
    state = fields.Selection(
        [
            ("to_accept", "To Accept"),
            ("accepted", "Preparing"),
            ("ready", "Ready"),
            ("done", "Done"),
            ("rejected", "Refused"),
            ("expired", "Expired"),
            ("cancel", "Cancelled"),
        ],
        readonly=True,
    )
    date = fields.Datetime(string="Received On", readonly=True)
    hours_to_accept = fields.Float(string="Acceptance Time (h)", readonly=True, aggregator="avg")
    hours_to_ready = fields.Float(string="Ready Time (h)", readonly=True, aggregator="avg")
    rejection_rate = fields.Float(string="Refused (%)", readonly=True, aggregator="avg")
    collection_rate = fields.Float(string="Collected (%)", readonly=True, aggregator="avg")

    def _query(self):
        return SQL(
            """
            SELECT so.id, so.id AS store_order_id, so.store_id, so.company_id,
                   sale.team_id, so.fulfilment, so.state, so.create_date AS date,
                   EXTRACT(EPOCH FROM so.accepted_date - so.create_date) / 3600
                       AS hours_to_accept,
                   EXTRACT(EPOCH FROM so.ready_date - so.create_date) / 3600
                       AS hours_to_ready,
                   CASE WHEN so.state = 'rejected' THEN 100.0
                        WHEN so.state IN ('accepted', 'ready', 'done', 'expired') THEN 0.0
                        END AS rejection_rate,
                   CASE WHEN so.fulfilment != 'collect' THEN NULL
                        WHEN so.state = 'done' THEN 100.0
                        WHEN so.state = 'expired' THEN 0.0 END AS collection_rate
              FROM omni_store_order so
              JOIN sale_order sale ON sale.id = so.sale_order_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
