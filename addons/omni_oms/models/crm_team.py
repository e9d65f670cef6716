from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    omni_channel_type = fields.Selection(
        selection=[
            ("web", "Web shop"),
            ("marketplace", "Marketplace"),
            ("b2b", "B2B"),
            ("store", "Store"),
            ("call_center", "Call centre"),
        ],
        string="Channel Type",
        help="Kind of sales channel this team sells through; Omni's stock pools and "
        "routing rules apply per channel.",
    )
