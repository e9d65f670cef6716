from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .common import OmniWmsCommon


@tagged("post_install", "-at_install")
class TestPickRoutes(OmniWmsCommon):
    def test_reserved_delivery_is_walked_along_the_shortest_route(self):
        picking = self.delivery("P2", "P3", "P1")
        # up aisle 1 (10), along the back to aisle 4 (9), down aisle 4 (10), home along
        # the front (9), and P2 reached from the back of aisle 2 on the way (2.5)
        self.assertEqual(picking.omni_route_length, 40.5)
        self.assertEqual(picking.omni_route_method, "optimal")
        self.assertTrue(picking.omni_route_date)
        self.assertEqual(picking.omni_unrouted_count, 0)
        self.assertFalse(picking.omni_route_warning)
        self.assertEqual(self.walking_order(picking), ["P1", "P2", "P3"])
        self.assertEqual(sorted(picking.move_line_ids.mapped("omni_pick_sequence")), [1, 2, 3])

    def test_picks_in_one_aisle_follow_the_aisle(self):
        self.env["stock.quant"]._update_available_quantity(
            self.products["P7"], self.bin["B-03-2"], 5
        )
        self.env["stock.quant"]._update_available_quantity(self.products["P7"], self.stock, -50)
        picking = self.delivery("P2", "P7", "P4")
        self.assertEqual(self.walking_order(picking), ["P4", "P7", "P2"])
        # 3 m to aisle 2, up to 8.75 m and back, 3 m home
        self.assertEqual(picking.omni_route_length, 23.5)

    def test_lines_from_unplaced_locations_come_last_with_a_warning(self):
        picking = self.delivery("P7", "P2", "P1")
        self.assertEqual(self.walking_order(picking), ["P1", "P2", "P7"])
        self.assertEqual(picking.omni_unrouted_count, 1)
        self.assertEqual(len(picking.move_line_ids), 3, "no line is dropped")
        # the route goes through the placed lines only: up aisle 1 (10), along the back
        # (3), down aisle 2 (10), home (3)
        self.assertEqual(picking.omni_route_length, 26.0)
        self.assertIn("OWT/Stock", picking.omni_route_warning)
        self.assertIn(
            "come last in the pick list (lines: 1; locations: OWT/Stock)",
            picking.omni_route_warning,
        )

    def test_other_routing_methods(self):
        self.layout.routing_method = "s_shape"
        picking = self.delivery("P4", "P5", "P6")
        self.assertEqual(picking.omni_route_method, "s_shape")
        # out to aisle 2 (3), through aisles 2 and 3 (10 + 3 + 10), on to aisle 4 (3),
        # in and out of it from the front (17.5), home (9)
        self.assertEqual(picking.omni_route_length, 3 + 10 + 3 + 10 + 3 + 17.5 + 9)
        self.layout.routing_method = "optimal"
        picking.action_omni_compute_route()
        self.assertEqual(picking.omni_route_length, 40.5)

    def test_batch_is_sequenced_along_one_route(self):
        first, second = self.delivery("P1", "P2", "P3"), self.delivery("P4", "P5", "P6")
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set((first | second).ids)]}
        )
        batch.action_confirm()
        # aisle 1's pick from the front (2.5), along the front to aisle 4 (9), up it (10),
        # back to aisle 2 (6) with aisle 3's pick from the back (7.5), down aisle 2 (10),
        # home (3)
        self.assertEqual(batch.omni_route_length, 48.0)
        self.assertEqual(self.walking_order(batch), ["P1", "P3", "P6", "P5", "P2", "P4"])
        self.assertEqual(
            sorted(batch.move_line_ids.mapped("omni_pick_sequence")), [1, 2, 3, 4, 5, 6]
        )
        # each transfer keeps the length of its own route
        self.assertEqual((first.omni_route_length, second.omni_route_length), (40.5, 40.5))

    def test_removing_a_transfer_from_a_batch_routes_both_again(self):
        first, second = self.delivery("P1", "P2", "P3"), self.delivery("P4", "P5", "P6")
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set((first | second).ids)]}
        )
        batch.action_confirm()
        second.batch_id = False
        self.assertEqual(batch.omni_route_length, 40.5)
        self.assertEqual(self.walking_order(second), ["P4", "P6", "P5"])
        self.assertEqual(sorted(second.move_line_ids.mapped("omni_pick_sequence")), [1, 2, 3])

    def test_wave_from_move_lines_is_routed_when_confirmed(self):
        first, second = self.delivery("P1", "P6"), self.delivery("P3", "P4")
        (first | second).move_line_ids._add_to_wave(description="Omni test wave")
        wave = first.batch_id
        self.assertTrue(wave.is_wave)
        self.assertEqual(wave.state, "in_progress")
        self.assertTrue(wave.omni_route_date)
        # aisle 1's pick from the front (2.5), along the front (9), up aisle 4 (10), along
        # the back (6), down aisle 2 (10), home (3)
        self.assertEqual(self.walking_order(wave), ["P1", "P3", "P6", "P4"])
        self.assertEqual(wave.omni_route_length, 40.5)

    def test_routing_takes_a_fixed_number_of_queries(self):
        def queries(picking):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            picking._omni_compute_routes()
            return self.env.cr.sql_log_count - before

        small = self.delivery("P1", "P2")
        large = self.delivery("P1", "P2", "P3", "P4", "P5", "P6", "P7")
        self.assertEqual(queries(small), queries(large))

    def test_transfers_outside_layouts_are_not_routed(self):
        main = self.env.ref("stock.warehouse0")
        self.env["stock.quant"]._update_available_quantity(
            self.products["P1"], main.lot_stock_id, 5
        )
        picking = self.delivery("P1", warehouse=main)
        self.assertFalse(picking.omni_has_layout)
        self.assertFalse(picking.omni_route_date)
        self.assertEqual(picking.move_line_ids.omni_pick_sequence, 0)
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "in",
                            "product_id": self.products["P1"].id,
                            "product_uom_qty": 2,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        self.assertFalse(receipt.omni_route_date, "nothing is picked from the layout")

    def test_operations_lists_show_lines_in_walking_order(self):
        picking = self.delivery("P3", "P2", "P1")
        for view_xmlid in (
            "stock.view_stock_move_line_detailed_operation_tree",
            "stock_picking_batch.view_move_line_tree",
        ):
            view = self.env["stock.move.line"].get_view(self.env.ref(view_xmlid).id, "list")
            order = etree.fromstring(view["arch"]).get("default_order")
            self.assertTrue(order.startswith("omni_pick_sequence"), view_xmlid)
            lines = self.env["stock.move.line"].search(
                [("picking_id", "=", picking.id)], order=order
            )
            self.assertEqual(
                lines.product_id.mapped("default_code"), ["OWT-P1", "OWT-P2", "OWT-P3"]
            )

    def test_buttons(self):
        picking = self.delivery("P1", "P2", "P3", assign=False)
        self.assertTrue(picking.omni_has_layout)
        self.assertFalse(picking.omni_route_date, "nothing reserved, nothing to walk")
        picking.action_assign()
        picking.move_line_ids.omni_pick_sequence = 0
        self.assertTrue(picking.with_user(self.user_operator).action_omni_compute_route())
        self.assertEqual(self.walking_order(picking), ["P1", "P2", "P3"])
        action = picking.with_user(self.user_operator).action_omni_print_pick_list()
        self.assertEqual(action["report_name"], "omni_wms.report_omni_pick_list_picking")

    def test_store_staff_reserving_a_transfer_gets_it_routed(self):
        picking = self.delivery("P1", "P2", "P3", assign=False)
        picking.with_user(self.user_store_staff).action_assign()
        self.assertEqual(picking.omni_route_length, 40.5)
