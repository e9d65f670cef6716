import re
from collections import Counter, namedtuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..engine import MAX_AISLES, MAX_METRES, AisleLayout, LayoutError, plan_route
from ..tools import bulk_update

DEFAULT_LOCATION_PATTERN = r"^(?P<aisle>[A-Z]+)-(?P<position>\d+)-(?P<level>\d+)$"
ROUTING_METHODS = [
    ("optimal", "Optimal (shortest route)"),
    ("s_shape", "S-shape"),
    ("largest_gap", "Largest gap"),
    ("combined", "Combined"),
]
# Examples of location names quoted in messages
EXAMPLES = 5

PickRoutePlan = namedtuple("PickRoutePlan", "length method sequences unrouted_count")
LineRow = namedtuple("LineRow", "id warehouse_id aisle position level location_name")


class OmniWarehouseLayout(models.Model):
    """Where the pick locations of a warehouse lie, for routing pickers through them.

    Pick aisles are parallel, numbered from 1, ``aisle_spacing`` apart centre to
    centre; they run from the front cross-aisle to the back cross-aisle, optionally
    cut by a middle cross-aisle. Pickers start and end at the depot, on the front
    cross-aisle. Each internal location of the warehouse can be placed in an aisle,
    at a position (metres from the front cross-aisle) and a level.
    """

    _name = "omni.warehouse.layout"
    _description = "Warehouse layout"
    _rec_name = "warehouse_id"
    _order = "warehouse_id"
    _check_company_auto = True

    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True, index=True)
    aisle_count = fields.Integer("Aisles", required=True, default=10)
    aisle_length = fields.Float(
        "Aisle length (m)",
        required=True,
        default=30.0,
        digits=(16, 2),
        help="Distance between the front and the back cross-aisles, along an aisle.",
    )
    aisle_spacing = fields.Float(
        "Aisle spacing (m)",
        required=True,
        default=3.0,
        digits=(16, 2),
        help="Distance between the centre lines of two neighbouring aisles.",
    )
    bay_width = fields.Float(
        "Bay width (m)",
        required=True,
        default=1.5,
        digits=(16, 2),
        help="Length of one position along an aisle: position n of a location name is "
        "placed at (n - 0.5) × bay width from the front cross-aisle.",
    )
    has_middle_cross_aisle = fields.Boolean(
        "Middle cross-aisle", help="A cross-aisle cuts every aisle in two."
    )
    middle_cross_aisle_position = fields.Float(
        "Middle cross-aisle at (m)",
        digits=(16, 2),
        help="Distance of the middle cross-aisle from the front cross-aisle.",
    )
    depot_position = fields.Float(
        "Depot at (m)",
        digits=(16, 2),
        help="Where pickers start and end their rounds, on the front cross-aisle, as a "
        "distance from aisle 1 towards the last aisle.",
    )
    location_pattern = fields.Char(
        required=True,
        default=DEFAULT_LOCATION_PATTERN,
        help="Regular expression matched against location names, with the named groups "
        "aisle (letters A, B, ... AA or a number), position (bay number from 1) and, "
        "optionally, level. The default reads names such as A-03-2.",
    )
    routing_method = fields.Selection(
        ROUTING_METHODS,
        required=True,
        default="optimal",
        help="How pick routes are planned. Optimal gives the shortest route; the others "
        "are the simpler patterns some warehouses train pickers to walk.",
    )
    placed_location_count = fields.Integer("Placed locations", compute="_compute_location_counts")
    map = fields.Json(
        compute="_compute_map", help="The aisles, the depot and the placed locations."
    )
    unplaced_location_count = fields.Integer(
        "Unplaced locations", compute="_compute_location_counts"
    )

    _sql_constraints = (
        ("warehouse_unique", "unique(warehouse_id)", "A warehouse has one layout only."),
    )

    # Computes and checks ----------------------------------------------------

    @api.depends("warehouse_id")
    def _compute_location_counts(self):
        counts = dict.fromkeys(self.warehouse_id.ids, (0, 0))
        groups = self.env["stock.location"]._read_group(
            [("warehouse_id", "in", self.warehouse_id.ids), ("usage", "=", "internal")],
            ["warehouse_id", "omni_aisle"],
            ["__count"],
        )
        for warehouse, aisle, count in groups:
            placed, unplaced = counts[warehouse.id]
            counts[warehouse.id] = (placed + count, unplaced) if aisle else (placed, count)
        for layout in self:
            layout.placed_location_count, layout.unplaced_location_count = counts.get(
                layout.warehouse_id.id, (0, 0)
            )

    @api.depends(
        "aisle_count",
        "aisle_length",
        "aisle_spacing",
        "has_middle_cross_aisle",
        "middle_cross_aisle_position",
        "depot_position",
    )
    def _compute_map(self):
        for layout in self:
            try:
                layout.map = {**layout._map_geometry(), "locations": layout._map_locations()}
            except LayoutError:
                layout.map = False  # a layout being edited, not valid yet

    @api.constrains(
        "aisle_count",
        "aisle_length",
        "aisle_spacing",
        "bay_width",
        "has_middle_cross_aisle",
        "middle_cross_aisle_position",
        "depot_position",
    )
    def _check_geometry(self):
        for layout in self:
            layout._check_dimensions()
            layout._check_cross_aisle_and_depot()
        self._check_placed_locations_fit()

    def _check_dimensions(self):
        warehouse = self.warehouse_id.display_name
        if self.aisle_count < 1:
            raise ValidationError(
                self.env._(
                    "The layout of %(warehouse)s needs at least one aisle.", warehouse=warehouse
                )
            )
        if self.aisle_count > MAX_AISLES:
            raise ValidationError(
                self.env._(
                    "The layout of %(warehouse)s has %(count)s aisles; pick routes are planned "
                    "in layouts of at most %(max)s aisles.",
                    warehouse=warehouse,
                    count=self.aisle_count,
                    max=MAX_AISLES,
                )
            )
        dimensions = {
            "aisle_length": self.env._("aisle length"),
            "aisle_spacing": self.env._("aisle spacing"),
            "bay_width": self.env._("bay width"),
        }
        for field_name, dimension in dimensions.items():
            if not 0 < self[field_name] <= MAX_METRES:
                raise ValidationError(
                    self.env._(
                        "The %(dimension)s of the layout of %(warehouse)s must be more than "
                        "0 m and at most %(max)s m, not %(value)s m.",
                        dimension=dimension,
                        warehouse=warehouse,
                        max=MAX_METRES,
                        value=self[field_name],
                    )
                )

    def _check_cross_aisle_and_depot(self):
        if self.has_middle_cross_aisle and not 0 < self.middle_cross_aisle_position < (
            self.aisle_length
        ):
            raise ValidationError(
                self.env._(
                    "The middle cross-aisle of %(warehouse)s must lie between the front and "
                    "the back cross-aisles: more than 0 m and less than %(length)s m.",
                    warehouse=self.warehouse_id.display_name,
                    length=self.aisle_length,
                )
            )
        width = (self.aisle_count - 1) * self.aisle_spacing
        if not 0 <= self.depot_position <= width:
            raise ValidationError(
                self.env._(
                    "The depot of %(warehouse)s must be on the front cross-aisle, between "
                    "aisle 1 (0 m) and aisle %(last)s (%(width)s m), not at %(depot)s m.",
                    warehouse=self.warehouse_id.display_name,
                    last=self.aisle_count,
                    width=width,
                    depot=self.depot_position,
                )
            )

    def _check_placed_locations_fit(self):
        """Locations already placed must stay inside the layout when it shrinks."""
        self.flush_recordset(["warehouse_id", "aisle_count", "aisle_length"])
        self.env["stock.location"].flush_model(
            ["warehouse_id", "complete_name", "omni_aisle", "omni_aisle_position"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT layout.id, array_agg(location.complete_name ORDER BY location.id)
                  FROM omni_warehouse_layout layout
                  JOIN stock_location location ON location.warehouse_id = layout.warehouse_id
                 WHERE layout.id = ANY(%s)
                   AND location.omni_aisle > 0
                   AND (location.omni_aisle > layout.aisle_count
                        OR location.omni_aisle_position > layout.aisle_length)
                 GROUP BY layout.id
                """,
                self.ids,
            )
        )
        for layout_id, names in self.env.cr.fetchall():
            layout = self.browse(layout_id)
            raise ValidationError(
                self.env._(
                    "%(count)s locations of %(warehouse)s lie outside a layout of %(aisles)s "
                    "aisles of %(length)s m (%(names)s). Move them first, or keep the layout "
                    "large enough.",
                    count=len(names),
                    warehouse=layout.warehouse_id.display_name,
                    aisles=layout.aisle_count,
                    length=layout.aisle_length,
                    names=", ".join(names[:EXAMPLES]),
                )
            )

    @api.constrains("location_pattern")
    def _check_location_pattern(self):
        for layout in self:
            try:
                pattern = re.compile(layout.location_pattern)
            except re.error as error:
                raise ValidationError(
                    self.env._(
                        "The location pattern %(pattern)s is not a valid regular expression: "
                        "%(error)s.",
                        pattern=layout.location_pattern,
                        error=error,
                    )
                ) from error
            missing = {"aisle", "position"} - set(pattern.groupindex)
            if missing:
                raise ValidationError(
                    self.env._(
                        "The location pattern %(pattern)s must name the groups aisle and "
                        "position, as in (?P<aisle>[A-Z]+)-(?P<position>\\d+); missing: "
                        "%(missing)s.",
                        pattern=layout.location_pattern,
                        missing=", ".join(sorted(missing)),
                    )
                )

    # CRUD -------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        layouts = super().create(vals_list)
        self.env.registry.clear_cache()
        return layouts

    def write(self, vals):
        result = super().write(vals)
        if "warehouse_id" in vals:
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.model
    @tools.ormcache()
    def _warehouse_ids_with_layout(self):
        """Warehouses having a layout: routing is skipped elsewhere without a query."""
        return frozenset(self.sudo().search([]).warehouse_id.ids)

    # Locations --------------------------------------------------------------

    def action_view_locations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_location_form")
        action["domain"] = [
            ("warehouse_id", "=", self.warehouse_id.id),
            ("usage", "=", "internal"),
        ]
        action["context"] = {"search_default_omni_unplaced": bool(self.unplaced_location_count)}
        return action

    def action_assign_locations(self):
        """Place the warehouse's internal locations from their names."""
        self.check_access("write")
        messages = []
        for layout in self:
            outcome = layout._assign_locations_from_pattern()
            messages.append(layout._assignment_message(outcome))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Locations placed"),
                "message": "\n".join(messages),
                "type": "success",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _assignment_message(self, outcome):
        message = self.env._(
            "%(warehouse)s - placed: %(placed)s; names not matching the pattern: "
            "%(unmatched)s; outside the layout: %(outside)s.",
            warehouse=self.warehouse_id.display_name,
            placed=len(outcome["placed"]),
            unmatched=len(outcome["unmatched"]),
            outside=len(outcome["outside"]),
        )
        if outcome["outside"]:
            message += " " + self.env._(
                "Outside: %(names)s.", names=", ".join(outcome["outside"][:EXAMPLES])
            )
        return message

    def _assign_locations_from_pattern(self):
        """Read aisle, position and level from the names of the warehouse's internal
        locations, and write them in one UPDATE. Locations whose name does not match
        keep what they have. Returns the location names by outcome."""
        self.ensure_one()
        pattern = re.compile(self.location_pattern)
        Location = self.env["stock.location"]
        Location.flush_model(["name", "warehouse_id", "usage", "active"])
        self.env.cr.execute(
            SQL(
                "SELECT id, name FROM stock_location WHERE warehouse_id = %s "
                "AND usage = 'internal' AND active ORDER BY complete_name",
                self.warehouse_id.id,
            )
        )
        outcome = {"placed": [], "unmatched": [], "outside": []}
        placements = {}
        for location_id, name in self.env.cr.fetchall():
            placement = self._placement_from_name(pattern, name)
            if placement is None:
                outcome["unmatched"].append(name)
            elif not self._holds(*placement[:2]):
                outcome["outside"].append(name)
            else:
                outcome["placed"].append(name)
                placements[location_id] = placement
        locations = Location.browse(list(placements))
        bulk_update(
            locations,
            {
                "omni_aisle": [placements[location.id][0] for location in locations],
                "omni_aisle_position": [placements[location.id][1] for location in locations],
                "omni_level": [placements[location.id][2] for location in locations],
            },
        )
        return outcome

    @api.model
    def _aisle_number(self, label):
        """Aisle number from its label: digits, or letters counted A=1 ... Z=26, AA=27."""
        if label.isdecimal():
            return int(label)
        if not label.isalpha() or not label.isascii():
            return None
        number = 0
        for letter in label.upper():
            number = number * 26 + ord(letter) - ord("A") + 1
        return number

    def _placement_from_name(self, pattern, name):
        """(aisle, position in metres, level) read from ``name``, or None."""
        match = pattern.search(name or "")
        if not match:
            return None
        groups = match.groupdict()
        aisle = self._aisle_number(groups["aisle"] or "")
        bay, level = groups["position"] or "", groups.get("level") or "0"
        if not aisle or not bay.isdecimal() or int(bay) < 1 or not level.isdecimal():
            return None
        return aisle, round((int(bay) - 0.5) * self.bay_width, 2), int(level)

    def _holds(self, aisle, position):
        return 1 <= aisle <= self.aisle_count and 0 <= position <= self.aisle_length

    # Routing ----------------------------------------------------------------

    def _engine_layout(self):
        self.ensure_one()
        return AisleLayout(
            aisles=self.aisle_count,
            aisle_length=self.aisle_length,
            aisle_spacing=self.aisle_spacing,
            middle_cross_aisles=(
                (self.middle_cross_aisle_position,) if self.has_middle_cross_aisle else ()
            ),
            depot=self.depot_position,
        )

    # Maps -------------------------------------------------------------------

    def _map_geometry(self):
        """What a map draws of the layout itself, in metres."""
        plan = self._engine_layout()
        return {
            "aisles": plan.aisles,
            "aisle_length": plan.aisle_length,
            "aisle_spacing": plan.aisle_spacing,
            "cross_aisles": list(plan.cross_aisles),
            "depot": list(plan.depot_point),
        }

    def _map_locations(self):
        """The placed locations of the warehouse, as points named after them."""
        plan = self._engine_layout()
        locations = (
            self.env["stock.location"]
            .sudo()
            .search_read(
                [("warehouse_id", "=", self.warehouse_id.id), ("omni_aisle", ">", 0)],
                ["complete_name", "omni_aisle", "omni_aisle_position"],
            )
        )
        return [
            {
                "name": location["complete_name"],
                "point": list(plan.point(location["omni_aisle"], location["omni_aisle_position"])),
            }
            for location in locations
            if self._holds(location["omni_aisle"], location["omni_aisle_position"])
        ]

    def _route_map(self, lines):
        """The layout with the walk through ``lines`` (move lines, in walking order): a
        stop per place, numbered, and the path between them from the depot back to it.
        Lines from locations not placed in the layout are not drawn."""
        self.ensure_one()
        plan = self._engine_layout()
        stops = []
        for line in lines:
            location = line.location_id
            if location.warehouse_id != self.warehouse_id or not self._holds(
                location.omni_aisle, location.omni_aisle_position
            ):
                continue
            point = list(plan.point(location.omni_aisle, location.omni_aisle_position))
            if not stops or stops[-1]["point"] != point:
                stops.append({"point": point, "location": location.display_name, "lines": []})
            stops[-1]["lines"].append(
                f"{line.quantity:g} {line.product_uom_id.name} {line.product_id.display_name}"
            )
        return {
            **self._map_geometry(),
            "stops": stops,
            "path": [list(point) for point in plan.walk([stop["point"] for stop in stops])],
        }

    @api.model
    def _fetch_line_rows(self, line_ids):
        """Where each move line is picked from, in one query."""
        self.env["stock.move.line"].flush_model(["location_id"])
        self.env["stock.location"].flush_model(
            ["warehouse_id", "complete_name", "omni_aisle", "omni_aisle_position", "omni_level"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id, location.warehouse_id, location.omni_aisle,
                       location.omni_aisle_position::float8, location.omni_level,
                       location.complete_name
                  FROM stock_move_line line
                  JOIN stock_location location ON location.id = line.location_id
                 WHERE line.id = ANY(%s)
                """,
                list(line_ids),
            )
        )
        return {row[0]: LineRow(*row) for row in self.env.cr.fetchall()}

    @api.model
    def _plan_pick_routes(self, groups):
        """Plan the pick route of each group of move lines.

        ``groups`` maps a key (a transfer, a batch) to move line ids. Each group is
        routed in the layout of the warehouse most of its lines are picked in; lines
        from locations without aisle (or from elsewhere) come after the routed ones, in
        location order. Returns ``{key: PickRoutePlan}`` for the groups with a layout.
        """
        all_ids = {line_id for line_ids in groups.values() for line_id in line_ids}
        if not all_ids or not self._warehouse_ids_with_layout():
            return {}
        rows = self._fetch_line_rows(all_ids)
        # reading the geometry is needed to route any transfer the user may process
        layouts = self.sudo().search(
            [("warehouse_id", "in", list({row.warehouse_id for row in rows.values()}))]
        )
        by_warehouse = {layout.warehouse_id.id: layout for layout in layouts}
        plans = {}
        for key, line_ids in groups.items():
            lines = [rows[line_id] for line_id in line_ids if line_id in rows]
            in_layouts = Counter(
                row.warehouse_id for row in lines if row.warehouse_id in by_warehouse
            )
            if in_layouts:
                layout = by_warehouse[in_layouts.most_common(1)[0][0]]
                plans[key] = layout._plan_pick_route(lines)
        return plans

    def _plan_pick_route(self, lines):
        """PickRoutePlan of ``lines`` (LineRow) in this layout."""
        self.ensure_one()
        placed = sorted(
            (
                row
                for row in lines
                if row.warehouse_id == self.warehouse_id.id
                and row.aisle
                and self._holds(row.aisle, row.position)
            ),
            key=lambda row: (row.aisle, row.position, row.level, row.location_name, row.id),
        )
        placed_ids = {row.id for row in placed}
        unplaced = sorted(
            (row for row in lines if row.id not in placed_ids),
            key=lambda row: (row.location_name, row.id),
        )
        route = plan_route(
            self._engine_layout(),
            [(row.id, row.aisle, row.position) for row in placed],
            self.routing_method,
        )
        order = list(route.order) + [row.id for row in unplaced]
        return PickRoutePlan(
            length=route.length,
            method=self.routing_method,
            sequences={line_id: rank for rank, line_id in enumerate(order, start=1)},
            unrouted_count=len(unplaced),
        )
