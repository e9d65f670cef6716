from odoo import fields, models

from .omni_return import RETURN_READERS


class StockMove(models.Model):
    _inherit = "stock.move"

    omni_return_line_id = fields.Many2one(
        "omni.return.line",
        string="Return Line",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups=RETURN_READERS,
        help="The line of the return request this move brings back.",
    )
