from itertools import pairwise

from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .common import OmniWmsCommon


def walk_length(path):
    return sum(abs(x1 - x2) + abs(y1 - y2) for (x1, y1), (x2, y2) in pairwise(path))


@tagged("post_install", "-at_install")
class TestPickRouteMap(OmniWmsCommon):
    """The warehouse layout drawn as a map, with the pick route of a transfer or a wave."""

    def test_transfer_map_draws_its_route_through_numbered_stops(self):
        picking = self.delivery("P2", "P3", "P1", "P7")
        route_map = picking.omni_route_map
        self.assertEqual(
            {key: route_map[key] for key in ("aisles", "aisle_length", "aisle_spacing", "depot")},
            {"aisles": 4, "aisle_length": 10.0, "aisle_spacing": 3.0, "depot": [0.0, 0.0]},
        )
        self.assertEqual(route_map["cross_aisles"], [0.0, 10.0])
        # in walking order; P7, in a location outside the layout, is not drawn
        self.assertEqual(
            [(stop["location"], stop["point"]) for stop in route_map["stops"]],
            [
                ("OWT/Stock/A-01-1", [0.0, 1.25]),
                ("OWT/Stock/B-04-1", [3.0, 8.75]),
                ("OWT/Stock/D-02-1", [9.0, 3.75]),
            ],
        )
        self.assertEqual(route_map["stops"][0]["lines"], ["1 Units [OWT-P1] Omni WMS P1"])
        path = route_map["path"]
        self.assertEqual(path[0], [0.0, 0.0])
        self.assertEqual(path[-1], [0.0, 0.0])
        self.assertEqual(picking.omni_route_length, 40.5)
        self.assertAlmostEqual(walk_length(path), 40.5)

    def test_wave_map_walks_every_transfer(self):
        first, second = self.delivery("P1", "P2", "P3"), self.delivery("P4", "P5", "P6")
        wave = self.env["stock.picking.batch"].create(
            {"is_wave": True, "picking_ids": [Command.set((first | second).ids)]}
        )
        wave.action_confirm()
        route_map = wave.omni_route_map
        self.assertEqual(len(route_map["stops"]), 6)
        self.assertAlmostEqual(walk_length(route_map["path"]), wave.omni_route_length)

    def test_no_map_without_a_route(self):
        self.assertFalse(self.delivery("P1", assign=False).omni_route_map)

    def test_layout_map_shows_the_placed_locations(self):
        layout_map = self.layout.map
        self.assertEqual(layout_map["aisles"], 4)
        placed = {location["name"]: location["point"] for location in layout_map["locations"]}
        self.assertEqual(len(placed), len(self.bins))
        self.assertEqual(placed["OWT/Stock/C-03-2"], [6.0, 6.25])
        editing = self.env["omni.warehouse.layout"].new({"aisle_count": 0})
        self.assertFalse(editing.map, "a layout being edited into nonsense draws nothing")

    def test_forms_draw_the_map(self):
        for model, field in (
            ("stock.picking", "omni_route_map"),
            ("stock.picking.batch", "omni_route_map"),
            ("omni.warehouse.layout", "map"),
        ):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            [node] = etree.fromstring(arch).xpath(f"//field[@name='{field}']")
            self.assertEqual(node.get("widget"), "omni_pick_route_map", model)
