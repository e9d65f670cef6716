from odoo import fields, models


class OmniReturnGrade(models.Model):
    _inherit = "omni.return.grade"

    omni_loss_percent = fields.Float(
        string="Value Lost (%)",
        help="Share of a unit's cost lost when it is given this grade (0 for units "
        "resold as new, 100 for scrapped ones).",
    )

    _sql_constraints = (
        (
            "omni_loss_percent_range",
            "CHECK(omni_loss_percent >= 0 AND omni_loss_percent <= 100)",
            "The value lost is between 0 and 100 %.",
        ),
    )
