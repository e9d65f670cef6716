# pylint: disable=consider-merging-classes-inherited
# The delivery promise in files of its own, beside the routing and store ones.
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    omni_work_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        help="When the site prepares orders, in the calendar's time zone; its time off "
        "for everyone (public holidays) are days it does not work. Empty: the company's "
        "working hours.",
    )
    omni_handling_hours = fields.Float(
        string="Handling Time (hours)",
        default=2.0,
        help="Working hours to pick and pack an order: the delivery promise counts them "
        "from the order in the working hours, before the carrier's cut-off.",
    )

    @api.constrains("omni_handling_hours")
    def _check_omni_handling_hours(self):
        for warehouse in self:
            if warehouse.omni_handling_hours < 0:
                raise ValidationError(
                    self.env._(
                        "%(warehouse)s: the handling time cannot be negative.",
                        warehouse=warehouse.name,
                    )
                )

    def _omni_work_calendar(self):
        self.ensure_one()
        return self.omni_work_calendar_id or self.company_id.resource_calendar_id
