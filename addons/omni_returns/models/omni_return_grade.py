from odoo import api, fields, models
from odoo.exceptions import ValidationError

# What happens to the units of a grade, and where they go by default.
DISPOSITIONS = [
    ("resell", "Resell as new"),
    ("outlet", "Resell as used (outlet)"),
    ("repair", "Refurbish or repair"),
    ("scrap", "Scrap"),
    ("vendor", "Return to vendor"),
]


class OmniReturnGrade(models.Model):
    """The grade an inspected unit is given, and where it goes: resold as new (into the
    receiving warehouse's stock, sellable at once), to the outlet, to repair, scrapped,
    or set aside for the vendor. Without a destination location of its own, a grade
    sends its units to the receiving warehouse's location for its disposition."""

    _name = "omni.return.grade"
    _description = "Return Grade"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code shown on the inspection screen, e.g. A.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to offer the grade to every company."
    )
    disposition = fields.Selection(DISPOSITIONS, required=True, default="resell")
    location_id = fields.Many2one(
        "stock.location",
        string="Destination",
        domain="[('usage', 'in', ('internal', 'inventory'))]",
        help="Where graded units go. Empty: the receiving warehouse's stock (resell), its "
        "outlet, repair or vendor-return location, or the scrap location.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = (
        ("code_company_uniq", "UNIQUE(code, company_id)", "A grade code is used once."),
    )

    @api.constrains("disposition", "location_id")
    def _check_location(self):
        for grade in self.filtered("location_id"):
            if grade.disposition == "scrap" and not grade.location_id.scrap_location:
                raise ValidationError(
                    self.env._(
                        "Grade %(grade)s scraps its units: choose a scrap location, or none "
                        "for the company's.",
                        grade=grade.name,
                    )
                )
            if grade.disposition != "scrap" and grade.location_id.usage != "internal":
                raise ValidationError(
                    self.env._(
                        "Grade %(grade)s keeps its units: choose an internal location.",
                        grade=grade.name,
                    )
                )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for grade in self:
            grade.display_name = f"{grade.code} - {grade.name}" if grade.code else grade.name

    def _destination(self, warehouse):
        """Where units of this grade received at ``warehouse`` go."""
        self.ensure_one()
        if self.location_id:
            return self.location_id
        if self.disposition == "resell":
            return warehouse.lot_stock_id
        if self.disposition == "scrap":
            return self.env["stock.location"]._omni_scrap_location(warehouse.company_id)
        return warehouse._omni_return_location(self.disposition)
