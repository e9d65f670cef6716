from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OmniWmsCommon


@tagged("post_install", "-at_install")
class TestLocationPlacement(OmniWmsCommon):
    def placement(self, location):
        return (location.omni_aisle, location.omni_aisle_position, location.omni_level)

    def test_bins_placed_from_the_default_pattern(self):
        self.assertEqual(self.placement(self.bin["A-01-1"]), (1, 1.25, 1))
        self.assertEqual(self.placement(self.bin["C-03-2"]), (3, 6.25, 2))
        self.assertEqual(self.placement(self.bin["D-04-2"]), (4, 8.75, 2))
        self.assertEqual(self.placement(self.stock), (0, 0.0, 0), "the stock location is no bin")

    def test_names_not_matching_or_outside_the_layout_are_reported_and_left_alone(self):
        odd = self.env["stock.location"].create(
            [
                {"name": name, "location_id": self.stock.id}
                for name in ("Shelf 7", "a-01-1", "E-01-1", "A-05-1", "A-00-1")
            ]
        )
        other = self.env["stock.warehouse"].create({"name": "Omni WMS Far", "code": "OWF"})
        elsewhere = self.env["stock.location"].create(
            {"name": "A-01-1", "location_id": other.lot_stock_id.id}
        )
        outcome = self.layout._assign_locations_from_pattern()
        self.assertEqual(len(outcome["placed"]), 32)
        self.assertEqual(
            sorted(outcome["unmatched"]), sorted(["Shelf 7", "a-01-1", "A-00-1", "Stock"])
        )
        # aisle E is the 5th of 4; bay 5 lies at 11.25 m in aisles of 10 m
        self.assertEqual(sorted(outcome["outside"]), ["A-05-1", "E-01-1"])
        for location in odd | elsewhere:
            self.assertEqual(self.placement(location), (0, 0.0, 0), location.name)

    def test_assignment_runs_in_a_fixed_number_of_queries(self):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.layout._assign_locations_from_pattern()
        few = self.env.cr.sql_log_count - before
        self.env["stock.location"].create(
            [
                {"name": f"C-0{bay}-{level}", "location_id": self.stock.id}
                for bay in (1, 2)
                for level in (3, 4, 5)
            ]
        )
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        outcome = self.layout._assign_locations_from_pattern()
        self.assertEqual(self.env.cr.sql_log_count - before, few)
        self.assertEqual(len(outcome["placed"]), 38)

    def test_custom_pattern_with_numbered_aisles(self):
        self.layout.location_pattern = r"^R(?P<aisle>\d+)\.(?P<position>\d+)$"
        shelves = self.env["stock.location"].create(
            [{"name": name, "location_id": self.stock.id} for name in ("R2.3", "R4.1", "R12.1")]
        )
        outcome = self.layout._assign_locations_from_pattern()
        self.assertEqual(outcome["placed"], ["R2.3", "R4.1"])
        self.assertEqual(outcome["outside"], ["R12.1"])
        self.assertEqual(self.placement(shelves[0]), (2, 6.25, 0))
        self.assertEqual(self.placement(shelves[1]), (4, 1.25, 0))

    def test_letters_beyond_z_count_on(self):
        Layout = self.env["omni.warehouse.layout"]
        self.assertEqual(
            [Layout._aisle_number(label) for label in ("A", "Z", "AA", "AZ", "7", "É", "²")],
            [1, 26, 27, 52, 7, None, None],
        )

    def test_button_reports_what_it_did(self):
        action = self.layout.with_user(self.user_manager).action_assign_locations()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            action["params"]["message"],
            "Omni WMS Test - placed: 32; names not matching the pattern: 1; outside the layout: 0.",
        )

    def test_operators_cannot_place_locations_in_bulk(self):
        with self.assertRaises(AccessError):
            self.layout.with_user(self.user_operator).action_assign_locations()

    def test_placement_edited_location_by_location(self):
        location = self.bin["B-02-1"].with_user(self.user_operator)
        location.write({"omni_aisle_position": 5.0, "omni_level": 3})
        self.assertEqual(self.placement(location), (2, 5.0, 3))
        self.stock.omni_aisle = 3
        self.assertEqual(self.stock.omni_aisle, 3)

    def test_inconsistent_placements_are_refused(self):
        location = self.bin["B-02-1"]
        cases = [
            (
                {"omni_aisle_position": 10.5},
                "10.5 m into its aisle, beyond the aisle length of 10.0 m",
            ),
            ({"omni_aisle": 5}, "is in aisle 5, but the layout .* has 4 aisles"),
            ({"omni_aisle_position": -1.0}, "cannot be negative"),
            ({"omni_aisle": 0}, "has a position or a level but no aisle"),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assert_refused(message):
                location.write(values)
        location.write({"omni_aisle": 0, "omni_aisle_position": 0, "omni_level": 0})
        self.assertEqual(self.placement(location), (0, 0.0, 0))

    def test_placement_needs_a_layout(self):
        other = self.env["stock.warehouse"].create({"name": "Omni WMS Bare", "code": "OWB"})
        with self.assert_refused("its warehouse has no layout"):
            other.lot_stock_id.omni_aisle = 1
