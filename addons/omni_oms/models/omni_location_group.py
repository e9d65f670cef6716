from odoo import fields, models


class OmniLocationGroup(models.Model):
    _name = "omni.location.group"
    _description = "Fulfilment Location Group"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Warehouses and Stores",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="Where orders routed by the rules using this group may ship from.",
    )
