from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import formatLang

from ..tools import bulk_update
from .omni_warehouse_layout import ROUTING_METHODS


class OmniPickRouteMixin(models.AbstractModel):
    """A document whose move lines are walked along a planned pick route."""

    _name = "omni.pick.route.mixin"
    _description = "Pick route"
    # the QWeb PDF report of the pick list, in walking order
    _omni_pick_list_report_xmlid = None

    omni_route_length = fields.Float(
        "Route length (m)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Walking distance of the pick route, from the depot back to it. A transfer "
        "in a batch shows the length of its own route, while its lines follow the batch's.",
    )
    omni_route_method = fields.Selection(
        ROUTING_METHODS, "Routing method", readonly=True, copy=False
    )
    omni_route_date = fields.Datetime("Route planned on", readonly=True, copy=False)
    omni_unrouted_count = fields.Integer(
        "Lines without placement",
        readonly=True,
        copy=False,
        help="Lines picked from locations that have no aisle in the warehouse layout: "
        "they come after the routed lines.",
    )
    omni_route_summary = fields.Char("Pick route", compute="_compute_omni_route_summary")
    omni_route_warning = fields.Char("Route warning", compute="_compute_omni_route_warning")
    omni_has_layout = fields.Boolean("Warehouse has a layout", compute="_compute_omni_has_layout")
    omni_route_map = fields.Json(
        "Route map",
        compute="_compute_omni_route_map",
        help="The warehouse layout with the pick route drawn through the lines' locations.",
    )

    @api.depends("omni_route_length", "omni_route_method", "omni_route_date")
    def _compute_omni_route_summary(self):
        methods = dict(self._fields["omni_route_method"]._description_selection(self.env))
        for record in self:
            record.omni_route_summary = record.omni_route_date and self.env._(
                "%(length)s m, %(method)s",
                length=formatLang(self.env, record.omni_route_length, digits=1),
                method=methods.get(record.omni_route_method, ""),
            )

    @api.depends("omni_unrouted_count", "omni_route_date")
    def _compute_omni_route_warning(self):
        for record in self:
            record.omni_route_warning = (
                self.env._(
                    "Lines picked from locations without aisle and position in the "
                    "warehouse layout come last in the pick list (lines: %(count)s; "
                    "locations: %(locations)s). Place these locations to route them.",
                    count=record.omni_unrouted_count,
                    locations=", ".join(record._omni_unplaced_locations().mapped("display_name")),
                )
                if record.omni_route_date and record.omni_unrouted_count
                else False
            )

    def _omni_unplaced_locations(self):
        lines = self._omni_route_move_lines()
        return lines.location_id.filtered(lambda location: not location.omni_aisle)

    @api.depends("picking_type_id")
    def _compute_omni_has_layout(self):
        with_layout = self.env["omni.warehouse.layout"]._warehouse_ids_with_layout()
        for record in self:
            record.omni_has_layout = record.picking_type_id.warehouse_id.id in with_layout

    @api.depends("omni_route_date", "omni_route_length")
    def _compute_omni_route_map(self):
        layouts = {
            layout.warehouse_id: layout
            for layout in self.env["omni.warehouse.layout"]
            .sudo()
            .search([("warehouse_id", "in", self.picking_type_id.warehouse_id.ids)])
        }
        for record in self:
            layout = layouts.get(record.picking_type_id.warehouse_id)
            record.omni_route_map = (
                layout._route_map(record._omni_pick_list_lines())
                if layout and record.omni_route_date
                else False
            )

    def _omni_route_move_lines(self):
        """The move lines the route goes through."""
        self.ensure_one()
        return self.move_line_ids

    def _omni_routable(self):
        return self.filtered(lambda record: record.state not in ("done", "cancel"))

    def _omni_plan_routes(self):
        """{record: PickRoutePlan} of the routable records that have a layout."""
        records = self._omni_routable()
        return self.env["omni.warehouse.layout"]._plan_pick_routes(
            {record: record._omni_route_move_lines().ids for record in records}
        )

    def _omni_save_routes(self, plans, sequences=True):
        """Store the route of each record of ``plans`` and, with ``sequences``, the rank
        of its lines, in one UPDATE per table."""
        records = self.browse([record.id for record in plans])
        now = fields.Datetime.now()
        bulk_update(
            records,
            {
                "omni_route_length": [plans[record].length for record in records],
                "omni_route_method": [plans[record].method for record in records],
                "omni_route_date": [now] * len(records),
                "omni_unrouted_count": [plans[record].unrouted_count for record in records],
            },
        )
        if sequences:
            ranks = {
                line_id: rank for plan in plans.values() for line_id, rank in plan.sequences.items()
            }
            lines = self.env["stock.move.line"].browse(list(ranks))
            bulk_update(lines, {"omni_pick_sequence": [ranks[line.id] for line in lines]})

    def _omni_compute_routes(self):
        self._omni_save_routes(self._omni_plan_routes())

    def action_omni_compute_route(self):
        self.check_access("write")
        for record in self:
            record._omni_check_routable()
        self._omni_compute_routes()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Pick route planned"),
                "message": "\n".join(record._omni_route_message() for record in self),
                "type": "warning" if any(self.mapped("omni_unrouted_count")) else "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _omni_check_routable(self):
        """Raise a UserError saying what this record lacks for a pick route."""
        values = {"name": self.display_name}
        if self.state in ("done", "cancel"):
            raise UserError(
                self.env._(
                    "%(name)s is done or cancelled: there is no route left to walk.", **values
                )
            )
        lines = self._omni_route_move_lines()
        if not lines:
            raise UserError(
                self.env._(
                    "%(name)s has no line to pick yet: check availability first, so that its "
                    "products are reserved in their locations.",
                    **values,
                )
            )
        with_layout = self.env["omni.warehouse.layout"]._warehouse_ids_with_layout()
        warehouses = lines.location_id.warehouse_id
        if not any(warehouse.id in with_layout for warehouse in warehouses):
            raise UserError(
                self.env._(
                    "%(name)s is picked in %(warehouses)s, which has no warehouse layout: "
                    "describe its aisles in Omni > Warehouse > Warehouse Layouts.",
                    warehouses=", ".join(warehouses.mapped("display_name")),
                    **values,
                )
            )
        if not lines.location_id.filtered("omni_aisle"):
            raise UserError(
                self.env._(
                    "%(name)s is picked only from locations not placed in the warehouse "
                    "layout (%(locations)s): give them an aisle and a position (Place "
                    "Locations from Names on the layout, or on each location).",
                    locations=", ".join(lines.location_id.mapped("display_name")),
                    **values,
                )
            )

    def _omni_route_message(self):
        message = self.env._(
            "%(name)s: %(summary)s.", name=self.display_name, summary=self.omni_route_summary
        )
        if self.omni_unrouted_count:
            message += " " + self.env._(
                "%(count)s line(s) from locations not placed in the layout come last.",
                count=self.omni_unrouted_count,
            )
        return message

    def _omni_route_if_layout(self):
        """Plan the routes of the records whose warehouse has a layout, without any
        query for the others."""
        with_layout = self.env["omni.warehouse.layout"]._warehouse_ids_with_layout()
        if with_layout:
            self.filtered(
                lambda record: record.picking_type_id.warehouse_id.id in with_layout
            )._omni_compute_routes()

    def action_omni_print_pick_list(self):
        self.check_access("write")
        self._omni_compute_routes()
        return self.env.ref(self._omni_pick_list_report_xmlid).report_action(self)

    def _omni_pick_list_lines(self):
        self.ensure_one()
        return self._omni_route_move_lines()._omni_walking_order()
