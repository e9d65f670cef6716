"""Choosing the pickup point of a sales order in the backend, through Odoo's own
pickup-location flow (``sale.order._get_pickup_locations`` and
``_set_pickup_location``), for any carrier with ``<type>_use_locations``."""

import json

from odoo import api, fields, models
from odoo.exceptions import UserError

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class OmniPickupLocationWizard(models.TransientModel):
    _name = "omni.pickup.location.wizard"
    _description = "Choose a Pickup Point"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    carrier_id = fields.Many2one(related="order_id.carrier_id")
    zip_code = fields.Char(string="Postcode", required=True)
    country_id = fields.Many2one("res.country", required=True)
    line_ids = fields.One2many("omni.pickup.location.wizard.line", "wizard_id")
    error = fields.Char(readonly=True)

    @api.model
    def _prepare_line_vals(self, location):
        hours = location.get("opening_hours") or {}
        schedule = "; ".join(
            f"{DAY_NAMES[int(day)]} {', '.join(ranges)}"
            for day, ranges in sorted(hours.items())
            if ranges and day.isdigit() and int(day) < len(DAY_NAMES)
        )
        distance = (location.get("additional_data") or {}).get("distance_m")
        return {
            "wizard_id": self.id,
            "location_id": str(location["id"]),
            "name": location.get("name") or "",
            "street": location.get("street") or "",
            "zip_code": location.get("zip_code") or "",
            "city": location.get("city") or "",
            "distance": distance or 0,
            "opening_hours": schedule,
            "location_data": location,
        }

    def action_search(self):
        """Fill the list with the carrier's pickup points near the postcode."""
        self.ensure_one()
        result = self.order_id._get_pickup_locations(self.zip_code, self.country_id)
        self.line_ids.unlink()
        self.error = result.get("error") or False
        self.env["omni.pickup.location.wizard.line"].create(
            [self._prepare_line_vals(location) for location in result.get("pickup_locations", [])]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Choose a Pickup Point"),
        }


class OmniPickupLocationWizardLine(models.TransientModel):
    _name = "omni.pickup.location.wizard.line"
    _description = "Pickup Point Found"
    _order = "distance, id"

    wizard_id = fields.Many2one("omni.pickup.location.wizard", required=True, ondelete="cascade")
    location_id = fields.Char(string="Point", readonly=True)
    name = fields.Char(readonly=True)
    street = fields.Char(readonly=True)
    zip_code = fields.Char(string="Postcode", readonly=True)
    city = fields.Char(readonly=True)
    distance = fields.Integer(string="Distance (m)", readonly=True)
    opening_hours = fields.Char(readonly=True)
    location_data = fields.Json(readonly=True)

    def action_select(self):
        """Make this point the order's pickup location (Odoo's flow turns it into the
        delivery address when the order is confirmed)."""
        self.ensure_one()
        order = self.wizard_id.order_id
        if order.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "%(order)s is confirmed: its delivery address is already set.",
                    order=order.name,
                )
            )
        order._set_pickup_location(json.dumps(self.location_data))
        return {"type": "ir.actions.act_window_close"}
