from odoo import fields, models


class OmniCarrierRule(models.Model):
    _inherit = "omni.carrier.rule"

    shipment_kind = fields.Selection(
        [("outbound", "Deliveries"), ("return", "Return labels")],
        string="Applies to",
        default="outbound",
        required=True,
        tracking=True,
        help="Deliveries to customers, or the return labels sent to them. Return rules "
        "match the customer's address as the destination.",
    )
