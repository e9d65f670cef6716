from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.base.models.res_partner import _tz_get


class OmniCarrierCutoff(models.Model):
    """When a carrier service picks parcels up at a warehouse or store: what is ready
    by the cut-off time of a working day of the site leaves that day."""

    _name = "omni.carrier.cutoff"
    _description = "Carrier Pickup Cut-off"
    _order = "warehouse_id, carrier_id, id"

    carrier_id = fields.Many2one(
        "delivery.carrier", string="Carrier Service", required=True, ondelete="cascade", index=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Warehouse or Store",
        required=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="warehouse_id.company_id", store=True, index=True, precompute=True
    )
    cutoff_time = fields.Float(
        string="Cut-off Time",
        required=True,
        default=16.0,
        help="Local time (in the time zone below) the carrier collects the parcels.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Time Zone",
        required=True,
        default=lambda self: self.env.user.tz or "UTC",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = (
        (
            "carrier_warehouse_uniq",
            "UNIQUE(carrier_id, warehouse_id)",
            "A carrier service has one cut-off per warehouse.",
        ),
    )

    @api.constrains("cutoff_time")
    def _check_cutoff_time(self):
        for cutoff in self:
            if not 0 <= cutoff.cutoff_time < 24:
                raise ValidationError(
                    self.env._(
                        "%(carrier)s at %(warehouse)s: the cut-off must be a time of the day "
                        "(00:00 to 23:59).",
                        carrier=cutoff.carrier_id.name,
                        warehouse=cutoff.warehouse_id.name,
                    )
                )

    @api.model
    def _omni_cutoffs(self, warehouse_ids):
        """{warehouse_id: {carrier_id: (cut-off hour, time zone)}} of active rows, in
        one query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT co.warehouse_id, co.carrier_id, co.cutoff_time, co.tz
                  FROM omni_carrier_cutoff co
                  JOIN delivery_carrier carrier ON carrier.id = co.carrier_id
                 WHERE co.active AND carrier.active AND co.warehouse_id = ANY(%s)
                """,
                list(warehouse_ids),
            )
        )
        result = {}
        for warehouse_id, carrier_id, hour, tz in self.env.cr.fetchall():
            result.setdefault(warehouse_id, {})[carrier_id] = (hour, tz)
        return result
