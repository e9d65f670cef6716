from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models.omni_warehouse_layout import LineRow
from .common import OmniWmsCommon


@tagged("post_install", "-at_install")
class TestWarehouseLayout(OmniWmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_warehouse = cls.env["stock.warehouse"].create(
            {"name": "Omni WMS Other", "code": "OWO"}
        )

    def new_layout(self, **values):
        return self.env["omni.warehouse.layout"].create(
            {
                "warehouse_id": self.other_warehouse.id,
                "aisle_count": 6,
                "aisle_length": 20.0,
                "aisle_spacing": 2.5,
                **values,
            }
        )

    def test_layout_geometry_reaches_the_engine(self):
        layout = self.new_layout(
            has_middle_cross_aisle=True, middle_cross_aisle_position=8.0, depot_position=6.25
        )
        geometry = layout._engine_layout()
        self.assertEqual(geometry.aisles, 6)
        self.assertEqual(geometry.aisle_length, 20.0)
        self.assertEqual(geometry.aisle_spacing, 2.5)
        self.assertEqual(geometry.middle_cross_aisles, (8.0,))
        self.assertEqual(geometry.depot, 6.25)
        self.assertEqual(layout.display_name, self.other_warehouse.display_name)

    def test_form_shows_the_middle_cross_aisle_only_when_there_is_one(self):
        with Form(self.env["omni.warehouse.layout"]) as form:
            form.warehouse_id = self.other_warehouse
            self.assertTrue(form._get_modifier("middle_cross_aisle_position", "invisible"))
            form.has_middle_cross_aisle = True
            self.assertTrue(form._get_modifier("middle_cross_aisle_position", "required"))
            form.middle_cross_aisle_position = 12.0
        self.assertEqual(
            form.record.location_pattern, r"^(?P<aisle>[A-Z]+)-(?P<position>\d+)-(?P<level>\d+)$"
        )

    def test_inconsistent_dimensions_are_refused(self):
        cases = [
            ({"aisle_count": 0}, "needs at least one aisle"),
            ({"aisle_length": -10.0}, "aisle length of the layout of .* must be more than 0 m"),
            ({"aisle_spacing": 0.0}, "aisle spacing .* must be more than 0 m"),
            ({"bay_width": -1.0}, "bay width .* must be more than 0 m"),
            ({"depot_position": -1.0}, r"depot .* between aisle 1 \(0 m\) and aisle 6 \(12.5 m\)"),
            ({"depot_position": 13.0}, "must be on the front cross-aisle"),
            (
                {"has_middle_cross_aisle": True, "middle_cross_aisle_position": 20.0},
                "middle cross-aisle .* less than 20.0 m",
            ),
            (
                {"has_middle_cross_aisle": True, "middle_cross_aisle_position": 0.0},
                "middle cross-aisle",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assert_refused(message):
                self.new_layout(**values)

    def test_layouts_too_large_to_route_are_refused(self):
        cases = [
            ({"aisle_count": 501}, "has 501 aisles; .* at most 500 aisles"),
            ({"aisle_length": 100001.0}, "aisle length .* at most 100000.0 m, not 100001.0 m"),
            ({"aisle_spacing": 1e9}, "aisle spacing .* at most 100000.0 m"),
            ({"bay_width": 1e9}, "bay width .* at most 100000.0 m"),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assert_refused(message):
                self.new_layout(**values)
        largest = self.new_layout(aisle_count=500, aisle_length=100000.0, aisle_spacing=10.0)
        warehouse = self.other_warehouse.id
        route = largest._plan_pick_route(
            [
                LineRow(1, warehouse, 500, 99999.0, 0, "far"),
                LineRow(2, warehouse, 1, 1.0, 0, "near"),
            ]
        )
        # 4,990 m along the front to the last aisle, up it and back, home, and 2 m in aisle 1
        self.assertEqual((route.length, route.sequences), (209980.0, {2: 1, 1: 2}))

    def test_depot_anywhere_on_the_front_cross_aisle(self):
        for depot in (0.0, 5.0, 12.5):
            layout = self.new_layout(depot_position=depot)
            self.assertEqual(layout._engine_layout().depot, depot)
            layout.unlink()

    def test_bad_location_patterns_are_refused(self):
        with self.assert_refused("not a valid regular expression"):
            self.new_layout(location_pattern="^(?P<aisle>[A-Z+-(?P<position>\\d+)$")
        with self.assert_refused("missing: position"):
            self.new_layout(location_pattern="^(?P<aisle>[A-Z]+)-(\\d+)$")

    @mute_logger("odoo.sql_db")
    def test_one_layout_per_warehouse(self):
        with self.assertRaises(IntegrityError):
            self.env["omni.warehouse.layout"].create({"warehouse_id": self.warehouse.id})

    def test_layout_cannot_shrink_below_its_placed_locations(self):
        # D-04-1 is in aisle 4 at 8.75 m
        with self.assert_refused("lie outside a layout of 3 aisles"):
            self.layout.aisle_count = 3
        with self.assert_refused(r"8 locations .* outside a layout of 4 aisles of 8.0 m .*A-04-1"):
            self.layout.aisle_length = 8.0
        self.layout.aisle_length = 9.0
        self.assertEqual(self.layout.aisle_length, 9.0)

    def test_location_counts(self):
        self.assertEqual(self.layout.placed_location_count, 32)
        self.assertEqual(self.layout.unplaced_location_count, 1, "the stock location itself")
        action = self.layout.action_view_locations()
        locations = self.env["stock.location"].search(action["domain"])
        self.assertEqual(len(locations), 33)
        self.assertTrue(action["context"]["search_default_omni_unplaced"])
