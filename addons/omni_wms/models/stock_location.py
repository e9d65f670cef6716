from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockLocation(models.Model):
    _inherit = "stock.location"

    omni_aisle = fields.Integer(
        "Aisle",
        help="Pick aisle of the location in its warehouse layout, from 1; 0 when the "
        "location is not placed in the layout.",
    )
    omni_aisle_position = fields.Float(
        "Position in aisle (m)",
        digits=(16, 2),
        help="Distance from the front cross-aisle along the aisle.",
    )
    omni_level = fields.Integer("Level", help="Shelf level, from the floor up.")

    @api.constrains("omni_aisle", "omni_aisle_position", "omni_level")
    def _check_omni_placement(self):
        placed = self.filtered(
            lambda location: (
                location.omni_aisle or location.omni_aisle_position or location.omni_level
            )
        )
        if not placed:
            return
        # the layout's geometry is checked for anyone allowed to edit the location
        layouts = {
            layout.warehouse_id: layout
            for layout in self.env["omni.warehouse.layout"]
            .sudo()
            .search([("warehouse_id", "in", placed.warehouse_id.ids)])
        }
        for location in placed:
            location._check_omni_placement_in(layouts.get(location.warehouse_id))

    def _check_omni_placement_in(self, layout):
        values = {"location": self.display_name}
        if min(self.omni_aisle, self.omni_aisle_position, self.omni_level) < 0:
            raise ValidationError(
                self.env._(
                    "The aisle, position and level of %(location)s cannot be negative.", **values
                )
            )
        if not self.omni_aisle:
            raise ValidationError(
                self.env._(
                    "%(location)s has a position or a level but no aisle: set its aisle "
                    "too, or clear them.",
                    **values,
                )
            )
        if not layout:
            raise ValidationError(
                self.env._(
                    "%(location)s is placed in an aisle but its warehouse has no layout: "
                    "create the warehouse layout first.",
                    **values,
                )
            )
        if self.omni_aisle > layout.aisle_count:
            raise ValidationError(
                self.env._(
                    "%(location)s is in aisle %(aisle)s, but the layout of %(warehouse)s has "
                    "%(count)s aisles.",
                    aisle=self.omni_aisle,
                    warehouse=layout.warehouse_id.display_name,
                    count=layout.aisle_count,
                    **values,
                )
            )
        if self.omni_aisle_position > layout.aisle_length:
            raise ValidationError(
                self.env._(
                    "%(location)s is %(position)s m into its aisle, beyond the aisle length "
                    "of %(length)s m in the layout of %(warehouse)s.",
                    position=self.omni_aisle_position,
                    length=layout.aisle_length,
                    warehouse=layout.warehouse_id.display_name,
                    **values,
                )
            )
