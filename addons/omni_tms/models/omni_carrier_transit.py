from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class OmniCarrierTransit(models.Model):
    """Transit time of a carrier service to a destination zone: a country, narrowed
    by a zip prefix. The delivery promise takes the longest prefix matching the
    customer's zip, rows of the customer's country before rows of any country."""

    _name = "omni.carrier.transit"
    _description = "Carrier Transit Time"
    _order = "carrier_id, country_id, zip_prefix desc, id"

    carrier_id = fields.Many2one(
        "delivery.carrier", string="Carrier Service", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    country_id = fields.Many2one("res.country", help="Empty: any country no other row covers.")
    zip_prefix = fields.Char(help="e.g. 75 for Paris; empty: the whole country.")

    @api.onchange("zip_prefix")
    def _onchange_zip_prefix(self):
        for row in self:
            row.zip_prefix = (row.zip_prefix or "").replace(" ", "").upper() or False

    transit_days = fields.Integer(
        string="Transit (days)",
        required=True,
        default=1,
        help="Carrier working days (Monday to Friday) from pickup to delivery.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("transit_days", "carrier_id", "company_id", "country_id", "zip_prefix")
    def _check_transit_days(self):
        for row in self:
            if row.transit_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(carrier)s: the transit time cannot be negative.",
                        carrier=row.carrier_id.name,
                    )
                )
            twins = self.search_count(
                [
                    ("id", "!=", row.id),
                    ("carrier_id", "=", row.carrier_id.id),
                    ("company_id", "=", row.company_id.id),
                    ("country_id", "=", row.country_id.id),
                    ("zip_prefix", "=", row.zip_prefix or False),
                ]
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "%(carrier)s has two transit times for %(zone)s: keep one.",
                        carrier=row.carrier_id.name,
                        zone=" ".join(filter(None, [row.country_id.code, row.zip_prefix]))
                        or self.env._("any country"),
                    )
                )

    @api.model
    def _omni_transit_by_carrier(self, company_id):
        """{carrier_id: ((country code or None, zip prefix, days), ...)} of the company's
        active rows, in one query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.carrier_id, c.code, COALESCE(t.zip_prefix, ''), t.transit_days
                  FROM omni_carrier_transit t
                  JOIN delivery_carrier carrier ON carrier.id = t.carrier_id
             LEFT JOIN res_country c ON c.id = t.country_id
                 WHERE t.active AND carrier.active AND t.company_id = %s
                """,
                company_id,
            )
        )
        result = {}
        for carrier_id, country, prefix, days in self.env.cr.fetchall():
            result.setdefault(carrier_id, []).append((country, prefix, days))
        return {carrier: tuple(rows) for carrier, rows in result.items()}
