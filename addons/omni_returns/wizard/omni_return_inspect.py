from odoo import api, fields, models
from odoo.exceptions import UserError


class OmniReturnInspect(models.TransientModel):
    """The inspection screen of a return: a grade for the units of each line (add a
    row for the same line to grade some of its units differently). Units not received
    yet are received by the same validation."""

    _name = "omni.return.inspect"
    _description = "Return Inspection"

    return_id = fields.Many2one(
        "omni.return",
        required=True,
        readonly=True,
        default=lambda self: self.env.context.get("omni_return_id"),
    )
    state = fields.Selection(related="return_id.state")
    line_ids = fields.One2many(
        "omni.return.inspect.line",
        "wizard_id",
        string="Units",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("return_id")
    def _compute_line_ids(self):
        for wizard in self:
            rma = wizard.return_id
            receiving = rma.state in ("approved", "awaiting")
            lines = rma.line_ids.filtered(
                lambda line, receiving=receiving: (
                    not line.grading_ids and (receiving or line.qty_received)
                )
            )
            wizard.line_ids = [(5, 0, 0)] + [
                (
                    0,
                    0,
                    {
                        "return_line_id": line.id,
                        "quantity": line.quantity if receiving else line.qty_received,
                    },
                )
                for line in lines
            ]

    def action_validate(self):
        self.ensure_one()
        ungraded = self.line_ids.filtered(lambda line: line.quantity > 0 and not line.grade_id)
        if ungraded:
            raise UserError(
                self.env._(
                    "Give a grade to %(products)s.",
                    products=", ".join(ungraded.product_id.mapped("display_name")),
                )
            )
        gradings = [
            (line.return_line_id, line.grade_id, line.quantity)
            for line in self.line_ids
            if line.quantity > 0
        ]
        if not gradings:
            raise UserError(self.env._("Give the units inspected and their grades."))
        self.return_id._receive_and_grade(gradings)
        return {"type": "ir.actions.act_window_close"}


class OmniReturnInspectLine(models.TransientModel):
    _name = "omni.return.inspect.line"
    _description = "Return Inspection Row"

    wizard_id = fields.Many2one("omni.return.inspect", required=True, ondelete="cascade")
    return_line_id = fields.Many2one(
        "omni.return.line",
        string="Item",
        required=True,
        domain="[('return_id', '=', parent.return_id)]",
    )
    product_id = fields.Many2one(related="return_line_id.product_id")
    reason_id = fields.Many2one(related="return_line_id.reason_id")
    condition = fields.Selection(related="return_line_id.condition")
    uom_id = fields.Many2one(related="return_line_id.product_uom_id", string="Unit")
    quantity = fields.Float(string="Units", digits="Product Unit of Measure")
    grade_id = fields.Many2one("omni.return.grade")
    disposition = fields.Selection(related="grade_id.disposition")
