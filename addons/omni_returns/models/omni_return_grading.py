from odoo import fields, models


class OmniReturnGrading(models.Model):
    """Units of a return line given a grade at inspection, and the stock move that
    took them to the grade's destination."""

    _name = "omni.return.grading"
    _description = "Return Grading"
    _order = "line_id, id"

    line_id = fields.Many2one("omni.return.line", required=True, ondelete="cascade", index=True)
    return_id = fields.Many2one(related="line_id.return_id", store=True, index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    product_id = fields.Many2one(related="line_id.product_id", store=True)
    grade_id = fields.Many2one("omni.return.grade", required=True, readonly=True, index=True)
    disposition = fields.Selection(related="grade_id.disposition", store=True)
    quantity = fields.Float(digits="Product Unit of Measure", required=True, readonly=True)
    move_ids = fields.Many2many("stock.move", string="Stock Moves", readonly=True)
    location_dest_id = fields.Many2one("stock.location", string="Sent to", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Graded by", readonly=True, default=lambda self: self.env.user
    )
