from datetime import datetime

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.omni_tms.connector.shipment import TrackingEvent

from .common import ReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnsReceiptGrading(ReturnsCommon):
    def setUp(self):
        super().setUp()
        self.order = self.deliver([(self.product, 5), (self.heavy_product, 1)])
        self.rma = self.request(
            self.order,
            [(self.product, 5, self.reason_mind), (self.heavy_product, 1, self.reason_defective)],
        )
        self.lamp_line = self.rma.line_ids.filtered(lambda line: line.product_id == self.product)
        self.rug_line = self.rma.line_ids - self.lamp_line
        self.inspection = self.warehouse._omni_return_location()

    def test_received_units_wait_for_inspection_out_of_the_pool(self):
        ats = self.ats(self.product)
        self.rma.action_receive()
        self.assertEqual(self.rma.state, "received")
        self.assertEqual(self.rma.picking_ids.state, "done")
        self.assertEqual(self.lamp_line.qty_received, 5)
        self.assertEqual(self.on_hand(self.product, self.inspection), 5)
        self.assertEqual(self.ats(self.product), ats, "units to inspect are not sold")
        self.assertEqual(self.line_of(self.order).omni_qty_returning, 0)
        self.assertEqual(self.line_of(self.order).qty_delivered, 0)
        self.assertIn("We received", self.mails(self.rma)[:1].subject)

    def test_each_grade_moves_its_units_to_its_destination(self):
        self.rma.action_receive()
        ats = self.ats(self.product)
        on_hand = self.on_hand(self.product, self.warehouse.lot_stock_id)
        scrap = self.env["stock.location"]._omni_scrap_location(self.company)
        self.rma._grade(
            [
                (self.lamp_line, self.grades["A"], 2),
                (self.lamp_line, self.grades["B"], 1),
                (self.lamp_line, self.grades["C"], 1),
                (self.lamp_line, self.grades["D"], 1),
                (self.rug_line, self.grades["E"], 1),
            ]
        )
        self.assertEqual(self.rma.state, "inspected")
        self.assertEqual(self.ats(self.product), ats + 2, "A units are sold at once")
        self.assertEqual(self.on_hand(self.product, self.warehouse.lot_stock_id), on_hand + 2)
        self.assertEqual(self.on_hand(self.product, self.inspection), 0)
        for code, usage in (("B", "outlet"), ("C", "repair")):
            location = self.warehouse._omni_return_location(usage)
            self.assertEqual(self.on_hand(self.product, location), 1, code)
        vendor = self.warehouse._omni_return_location("vendor")
        self.assertEqual(self.on_hand(self.heavy_product, vendor), 1)
        moves = self.rma.grading_ids.move_ids
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(len(moves.picking_id), 1)
        self.assertEqual(moves.picking_id.omni_grading_return_id, self.rma)
        scrapped = self.rma.grading_ids.filtered(lambda g: g.grade_id == self.grades["D"])
        self.assertEqual(scrapped.move_ids.location_dest_id, scrap)
        self.assertEqual(scrapped.location_dest_id, scrap)
        self.assertEqual(self.lamp_line.grade_summary, "2 A, 1 B, 1 C, 1 D")
        self.assertEqual(self.rma.picking_count, 2)

    def test_a_grade_with_a_location_of_its_own(self):
        shelf = self.env["stock.location"].create(
            {"name": "Returns shelf", "location_id": self.warehouse.lot_stock_id.id}
        )
        self.grades["A"].location_id = shelf
        self.rma.action_receive()
        ats = self.ats(self.product)
        self.rma._grade([(self.lamp_line, self.grades["A"], 5)])
        self.assertEqual(self.on_hand(self.product, shelf), 5)
        self.assertEqual(self.ats(self.product), ats + 5)
        self.assertEqual(self.rma.state, "received", "the rug is not graded yet")

    def test_grading_twice_or_wrongly_is_refused_and_nothing_is_written(self):
        with self.assertRaisesRegex(UserError, "cannot be graded: it is Label Sent"):
            self.rma._grade([(self.lamp_line, self.grades["A"], 5)])
        self.rma.action_receive()
        with self.assertRaisesRegex(UserError, "4.0 units graded, 5.0 received"):
            self.rma._grade([(self.lamp_line, self.grades["A"], 4)])
        with self.assertRaisesRegex(UserError, "negative"):
            self.rma._grade(
                [(self.lamp_line, self.grades["A"], 6), (self.lamp_line, self.grades["B"], -1)]
            )
        self.rma._grade([(self.lamp_line, self.grades["A"], 5)])
        moves = self.env["stock.move"].search_count([])
        with self.assertRaisesRegex(UserError, r"Lamp was graded already \(5 A\)"):
            self.rma._grade(
                [(self.rug_line, self.grades["A"], 1), (self.lamp_line, self.grades["B"], 5)]
            )
        self.assertFalse(self.rug_line.grading_ids)
        self.assertEqual(self.env["stock.move"].search_count([]), moves)
        other = self.request(
            self.deliver([(self.product, 1)]), [(self.product, 1, self.reason_mind)]
        )
        with self.assertRaisesRegex(UserError, "are not lines of"):
            self.rma._grade([(other.line_ids, self.grades["A"], 1)])

    def test_inspection_screen_receives_and_grades_in_one_validation(self):
        action = self.rma.action_inspect()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(len(wizard.line_ids), 2)
        with wizard.line_ids.edit(0) as row:
            self.assertEqual(row.quantity, 5)
            row.quantity = 3
            row.grade_id = self.grades["A"]
        with wizard.line_ids.new() as row:
            row.return_line_id = self.lamp_line
            row.quantity = 2
            row.grade_id = self.grades["D"]
        with wizard.line_ids.edit(1) as row:
            row.grade_id = self.grades["C"]
        ats = self.ats(self.product)
        wizard.save().action_validate()
        self.assertEqual(self.rma.state, "inspected")
        self.assertEqual(self.lamp_line.grade_summary, "3 A, 2 D")
        self.assertEqual(self.ats(self.product), ats + 3)

    def test_partial_receipt_without_backorder(self):
        self.rma._receive({self.lamp_line: 2})
        self.assertEqual(self.rma.state, "received")
        self.assertEqual(self.lamp_line.qty_received, 2)
        self.assertEqual(self.rug_line.qty_received, 0)
        self.assertFalse(self.rma.picking_ids.backorder_ids)
        self.assertEqual(self.line_of(self.order).omni_qty_returning, 0, "the rest is not coming")
        self.assertEqual(
            self.env["omni.return"]._returnable_lines(orders=self.order)[0]["quantity"], 3
        )
        with self.assertRaisesRegex(UserError, "was not received"):
            self.rma._grade([(self.rug_line, self.grades["A"], 1)])
        self.rma._grade([(self.lamp_line, self.grades["A"], 2)])
        self.assertEqual(self.rma.state, "inspected")

    def test_store_staff_receive_and_grade_a_drop_off_at_their_store(self):
        order = self.deliver([(self.product, 2)])
        rma = self.request(
            order, [(self.product, 2, self.reason_mind)], method="drop_off", store=self.paris
        )
        rma = rma.with_user(self.staff_paris)
        action = rma.action_inspect()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.staff_paris)
            .with_context(**action["context"])
        )
        with wizard.line_ids.edit(0) as row:
            row.grade_id = self.grades["A"]
        ats = self.ats(self.product)
        wizard.save().action_validate()
        self.assertEqual(rma.state, "inspected")
        self.assertEqual(self.on_hand(self.product, self.paris.lot_stock_id), 2)
        self.assertEqual(self.ats(self.product), ats + 2)

    def test_tracking_events_of_the_return_parcel_are_told_on_the_return(self):
        shipment = self.env["omni.shipment"].search(
            [("picking_id", "in", self.rma.picking_ids.ids), ("kind", "=", "return")]
        )
        self.assertEqual(self.rma.shipment_ids, shipment)
        self.assertEqual(self.rma.tracking_ref, shipment.tracking_number)
        self.assertTrue(shipment.price)
        self.assertEqual(self.rma.label_cost, shipment.price)
        event = TrackingEvent(
            uid="ret-1",
            tracking_number=shipment.tracking_number,
            stage="in_transit",
            date=datetime(2026, 1, 5, 10, 0),
            description="Parcel handed over",
        )
        self.env["omni.tracking.event"]._omni_record_events(shipment.carrier_id, [event], "poll")
        self.rma.invalidate_recordset(["tracking_event_ids"])
        self.assertEqual(self.rma.tracking_event_ids.uid, "ret-1")
        self.assertIn("Parcel handed over", self.rma.message_ids[0].body)
        self.assertIn(shipment.tracking_number, self.rma.message_ids[0].body)

    def test_an_outlet_named_by_a_pool_sells_its_graded_units(self):
        outlet = self.warehouse._omni_return_location("outlet")
        outlet_pool = self.env["omni.stock.pool"].create(
            {
                "name": "Outlet pool",
                "warehouse_ids": [Command.set(self.warehouse.ids)],
                "location_ids": [Command.set(outlet.ids)],
            }
        )
        self.rma.action_receive()
        web_ats = self.ats(self.product)
        outlet_ats = outlet_pool._get_ats(self.product).get(self.product.id, 0.0)
        self.rma._grade([(self.lamp_line, self.grades["B"], 5)])
        self.assertEqual(self.ats(self.product), web_ats, "the web pool does not sell the outlet")
        self.assertEqual(
            outlet_pool._get_ats(self.product).get(self.product.id, 0.0), outlet_ats + 5
        )
