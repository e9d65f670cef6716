from odoo import fields, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    omni_pick_sequence = fields.Integer(
        "Pick sequence",
        copy=False,
        readonly=True,
        help="Rank of the line on the pick route of its batch, or of its transfer when it "
        "is not in a batch. Lines picked from locations without aisle come last.",
    )
    omni_aisle = fields.Integer(related="location_id.omni_aisle")
    omni_aisle_position = fields.Float(related="location_id.omni_aisle_position")
    omni_level = fields.Integer(related="location_id.omni_level")
    omni_tote = fields.Integer(related="picking_id.omni_tote", string="Tote")
    omni_picked_date = fields.Datetime("Picked On", copy=False, readonly=True)
    omni_picker_id = fields.Many2one("res.users", "Picked By", copy=False, readonly=True)

    def _omni_walking_order(self):
        """The lines as the picker meets them: sequenced ones in route order, then any
        line added since the route was planned, in location order."""
        return self.sorted(
            lambda line: (
                not line.omni_pick_sequence,
                line.omni_pick_sequence,
                line.location_id.complete_name or "",
                line.id,
            )
        )
