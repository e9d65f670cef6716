from odoo import fields, models

from .omni_return import RETURN_READERS


class AccountMove(models.Model):
    _inherit = "account.move"

    omni_return_id = fields.Many2one(
        "omni.return",
        string="Return",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups=RETURN_READERS,
        help="The return this credit note refunds.",
    )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    omni_return_line_id = fields.Many2one(
        "omni.return.line",
        string="Return Line",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups=RETURN_READERS,
    )
