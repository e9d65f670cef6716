from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    omni_is_store = fields.Boolean(
        string="Is a Store",
        help="Shops that sell over the counter and can fulfil orders: ship-from-store "
        "and click & collect.",
    )
    omni_opening_hours_id = fields.Many2one(
        "resource.calendar",
        string="Store Opening Hours",
        help="When customers can collect their orders at this store.",
    )

    # Routing -------------------------------------------------------------------
    omni_daily_order_capacity = fields.Integer(
        string="Daily Order Capacity",
        help="How many orders routing may give this location per day; 0 means no limit.",
    )
    omni_routing_priority = fields.Integer(
        string="Routing Priority",
        help="Used by routing rules sorting candidates by priority: lower comes first.",
    )
    omni_shipping_base_cost = fields.Float(
        string="Shipment Base Cost",
        digits="Product Price",
        help="Estimated fixed cost of one shipment leaving this location.",
    )
    omni_shipping_cost_per_kg = fields.Float(string="Shipment Cost per kg", digits="Product Price")
    omni_shipping_cost_per_km = fields.Float(
        string="Shipment Cost per km",
        digits="Product Price",
        help="Estimated cost per kilometre between this location and the customer.",
    )

    # Store fulfilment ------------------------------------------------------------
    omni_ship_from_store = fields.Boolean(
        string="Ship from Store",
        default=True,
        help="Routing may give this store web orders to prepare and ship.",
    )
    omni_click_collect = fields.Boolean(
        string="Click & Collect",
        help="Customers may collect their orders at this store.",
    )
    omni_staff_ids = fields.Many2many(
        "res.users",
        "omni_store_staff_rel",
        "warehouse_id",
        "user_id",
        string="Staff",
        help="Store staff who prepare and hand over this store's orders; store staff see "
        "only the orders of their stores.",
    )
    omni_accept_timeout_minutes = fields.Integer(
        string="Acceptance Timeout (minutes)",
        default=120,
        help="A ship-from-store order not accepted within this time goes back to routing, "
        "which sends it elsewhere; 0 waits without limit.",
    )
    omni_resupply_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Resupplied From",
        check_company=True,
        help="Where click & collect items missing at the store come from.",
    )
    omni_resupply_days = fields.Integer(
        string="Resupply Lead Time (days)",
        default=1,
        help="Days for a transfer from the resupply warehouse to reach the store.",
    )
    omni_pickup_reminder_days = fields.Integer(
        string="Pickup Reminder after (days)",
        default=3,
        help="Days after the ready notification when an uncollected order is reminded.",
    )
    omni_pickup_expiry_days = fields.Integer(
        string="Pickup Expiry after (days)",
        default=7,
        help="Days after the ready notification when an uncollected order expires: its "
        "items go back to the shelf and the order is cancelled.",
    )
    omni_expiry_policy = fields.Selection(
        [
            ("credit_note", "Post a credit note"),
            ("review", "Draft credit note for accounting to review"),
        ],
        string="On Expiry of Invoiced Orders",
        default="credit_note",
        required=True,
        help="What happens to the invoices of a click & collect order nobody collected.",
    )
    omni_text_pickup_code = fields.Boolean(
        string="Text the Pickup Code",
        help="Also send the pickup code by SMS to customers with a phone number (Odoo's "
        "SMS, paid with IAP credits). The e-mail is always sent.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses.omni_staff_ids._omni_land_on_store_queue()
        return warehouses

    def write(self, vals):
        result = super().write(vals)
        if "omni_staff_ids" in vals:
            self.omni_staff_ids._omni_land_on_store_queue()
        return result

    @api.constrains(
        "omni_is_store",
        "omni_click_collect",
        "omni_opening_hours_id",
        "omni_accept_timeout_minutes",
        "omni_resupply_days",
        "omni_pickup_reminder_days",
        "omni_pickup_expiry_days",
    )
    def _check_omni_store_settings(self):
        for store in self.filtered("omni_is_store"):
            if store.omni_click_collect and not store.omni_opening_hours_id:
                raise ValidationError(
                    self.env._(
                        "Store %(store)s offers click & collect but has no opening hours: set "
                        "them, customers are told when to come.",
                        store=store.name,
                    )
                )
            if (
                min(
                    store.omni_accept_timeout_minutes,
                    store.omni_resupply_days,
                    store.omni_pickup_reminder_days,
                    store.omni_pickup_expiry_days,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._("Store %(store)s: delays cannot be negative.", store=store.name)
                )
            if store.omni_pickup_expiry_days and (
                store.omni_pickup_reminder_days >= store.omni_pickup_expiry_days
            ):
                raise ValidationError(
                    self.env._(
                        "Store %(store)s: the pickup reminder must come before the expiry.",
                        store=store.name,
                    )
                )

    def _omni_check_opening_hours(self):
        missing = self.filtered(lambda store: not store.omni_opening_hours_id)
        if missing:
            raise UserError(
                self.env._(
                    "Store %(stores)s has no opening hours configured: set them on the store "
                    "so that customers know when to collect.",
                    stores=", ".join(missing.mapped("name")),
                )
            )

    def _omni_opening_hours_text(self):
        """The store's opening hours, a line per day, e.g. "Monday: 09:00-12:00, 14:00-19:00"."""
        self.ensure_one()
        self._omni_check_opening_hours()
        day_names = dict(
            self.env["resource.calendar.attendance"]
            ._fields["dayofweek"]
            ._description_selection(self.env)
        )
        slots = defaultdict(list)
        for attendance in self.omni_opening_hours_id.attendance_ids.sorted(
            lambda a: (int(a.dayofweek), a.hour_from)
        ):
            if attendance.display_type or attendance.day_period == "lunch":
                continue
            slots[attendance.dayofweek].append(
                f"{_hours(attendance.hour_from)}-{_hours(attendance.hour_to)}"
            )
        return "\n".join(f"{day_names[day]}: {', '.join(hours)}" for day, hours in slots.items())

    def _omni_address_text(self):
        """The store's address on one line."""
        self.ensure_one()
        lines = (self.partner_id.contact_address or "").splitlines()
        return ", ".join(line.strip() for line in lines if line.strip())


def _hours(value):
    hours, minutes = divmod(round(value * 60), 60)
    return f"{hours:02d}:{minutes:02d}"
