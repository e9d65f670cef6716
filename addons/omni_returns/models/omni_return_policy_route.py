from odoo import fields, models

from ..engine import receiving


class OmniReturnPolicyRoute(models.Model):
    """Returns of a product category (and those below it) go to a warehouse or store."""

    _name = "omni.return.policy.route"
    _description = "Return Policy Category Route"
    _order = "sequence, id"
    _check_company_auto = True

    policy_id = fields.Many2one("omni.return.policy", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    categ_id = fields.Many2one("product.category", string="Category", required=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Received at", required=True, check_company=True
    )

    def _engine_routes(self):
        return [
            receiving.CategoryRoute(
                categ_id=route.categ_id.id, site_id=route.warehouse_id.id, sequence=route.sequence
            )
            for route in self
        ]
