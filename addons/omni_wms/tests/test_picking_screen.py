from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import OmniWaveCommon


@tagged("post_install", "-at_install")
class TestPickingScreen(OmniWaveCommon):
    """What the picking screen asks of the server: the next step, scans, picks, short
    picks, packing; and the productivity figures they leave."""

    def scan_and_pick(self, wave, quantity=None):
        """Scan the next line's location and product, pick ``quantity`` (all of it by
        default); returns the next step."""
        step = wave.omni_screen_next_step()
        line = step["line"]
        wave.omni_screen_scan(line["id"], "location", line["location_name"])
        wave.omni_screen_scan(line["id"], "product", line["product_barcode"])
        return wave.omni_screen_pick(line["id"], line["quantity"] if quantity is None else quantity)

    def test_an_operator_picks_a_wave_along_its_route_then_packs_each_order(self):
        first, second = self.order({"P1": 1, "P2": 2}), self.order({"P4": 3})
        wave = self.wave_of(first, second).with_user(self.user_operator)
        self.assertIn(wave.id, [offered["id"] for offered in wave.omni_screen_waves()])
        step = wave.omni_screen_take()
        self.assertEqual(wave.user_id, self.user_operator)
        self.assertEqual(wave.omni_picker_id, self.user_operator)
        self.assertTrue(wave.omni_start_date)
        # route: A-01 (P1), then up aisle B to B-04 (P2), down to B-02 (P4)
        seen = []
        while not step["finished"]:
            line = step["line"]
            seen.append((line["location_name"], line["quantity"], line["tote"]))
            step = self.scan_and_pick(wave)
        self.assertEqual(
            seen,
            [
                ("A-01-1", 1.0, first.omni_tote),
                ("B-04-1", 2.0, first.omni_tote),
                ("B-02-1", 3.0, second.omni_tote),
            ],
        )
        self.assertEqual((step["done"], step["total"]), (3, 3))
        self.assertTrue(all(wave.move_line_ids.mapped("picked")))
        self.assertEqual(set(wave.move_line_ids.omni_picker_id), {self.user_operator})
        step = wave.omni_screen_finish()
        packages = {tote["order"]: tote["package"] for tote in step["totes"]}
        self.assertEqual(
            packages,
            {
                first.name: f"{wave.name}-T{first.omni_tote}",
                second.name: f"{wave.name}-T{second.omni_tote}",
            },
        )
        self.assertEqual(first.move_line_ids.result_package_id.name, packages[first.name])
        self.assertTrue(wave.omni_end_date)
        self.assertNotIn(wave.id, [offered["id"] for offered in wave.omni_screen_waves()])
        wave.action_done()
        self.assertEqual((first | second).mapped("state"), ["done", "done"])

    def test_wrong_scans_are_refused_with_a_clear_message_and_nothing_is_written(self):
        wave = self.wave_of(self.order({"P1": 1}), self.order({"P2": 1}))
        line = wave.omni_screen_take()["line"]
        with self.assert_refused(
            "Wrong location: D-04-1 is not OWT/Stock/A-01-1. Go to OWT/Stock/A-01-1.", UserError
        ):
            wave.omni_screen_scan(line["id"], "location", "D-04-1")
        with self.assert_refused(
            f"OWTP7BAR is not a product of wave {wave.name}: put it back and scan "
            r"\[OWT-P1\] Omni WMS P1.",
            UserError,
        ):
            wave.omni_screen_scan(line["id"], "product", "OWTP7BAR")
        with self.assert_refused(
            r"OWTP2BAR is in this wave but not picked here: pick \[OWT-P1\]", UserError
        ):
            wave.omni_screen_scan(line["id"], "product", "OWTP2BAR")
        with self.assert_refused(r"Pick from 0 to 1.0 Units of \[OWT-P1\]", UserError):
            wave.omni_screen_pick(line["id"], 2)
        self.assertFalse(wave.move_line_ids.filtered("picked"))
        self.assertEqual(wave.omni_screen_scan(line["id"], "product", "OWTP1BAR"), {"ok": True})

    def test_a_lot_is_scanned_by_its_number(self):
        product = self.env["product.product"].create(
            {
                "name": "OWT Lot product",
                "is_storable": True,
                "tracking": "lot",
                "barcode": "OWTLOTP",
            }
        )
        lot = self.env["stock.lot"].create({"name": "OWT-LOT-7", "product_id": product.id})
        self.env["stock.quant"]._update_available_quantity(
            product, self.bin["C-02-1"], 5, lot_id=lot
        )
        self.patch(type(self), "products", {**self.products, "LOT": product})
        wave = self.wave_of(self.order({"LOT": 2}))
        line = wave.omni_screen_take()["line"]
        self.assertEqual((line["lot"], line["location_name"]), ("OWT-LOT-7", "C-02-1"))
        with self.assert_refused("OWTLOTP is not a product of wave", UserError):
            wave.omni_screen_scan(line["id"], "product", "OWTLOTP")
        self.assertEqual(wave.omni_screen_scan(line["id"], "product", "OWT-LOT-7"), {"ok": True})
        self.assertTrue(wave.omni_screen_pick(line["id"], 2)["finished"])

    def test_a_short_pick_counts_the_location_and_picks_the_rest_elsewhere(self):
        # P1: 50 in A-01-1, 10 more in C-01-1; A-01-1 is a pick face replenished from D-01-2
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.products["P1"], self.bin["C-01-1"], 10)
        Quant._update_available_quantity(self.products["P1"], self.bin["D-01-2"], 30)
        face = self.env["omni.pick.face"].create(
            {
                "location_id": self.bin["A-01-1"].id,
                "product_id": self.products["P1"].id,
                "reserve_location_id": self.bin["D-01-2"].id,
                "min_qty": 5,
                "max_qty": 20,
            }
        )
        picking = self.order({"P1": 3})
        wave = self.wave_of(picking).with_user(self.user_operator)
        step = wave.omni_screen_take()
        self.assertEqual((step["line"]["location_name"], step["line"]["quantity"]), ("A-01-1", 3))
        # only one unit found in A-01-1
        step = self.scan_and_pick(wave, quantity=1)
        self.assertEqual(Quant._get_available_quantity(self.products["P1"], self.bin["A-01-1"]), 0)
        self.assertEqual(self.bin["A-01-1"].quant_ids.quantity, 1.0, "the location was counted")
        self.assertEqual((step["line"]["location_name"], step["line"]["quantity"]), ("C-01-1", 2))
        self.assertEqual(face.short_qty, 2.0)
        # face: 1 on hand, 3 still to pick in the wave: -2, below 5: bring 22 from reserve
        self.assertEqual(face.replenishment_move_ids.mapped("product_uom_qty"), [22.0])
        step = self.scan_and_pick(wave)
        self.assertTrue(step["finished"])
        self.assertEqual(sum(picking.move_line_ids.mapped("quantity")), 3.0)

    def test_a_short_pick_without_stock_elsewhere_leaves_the_move_to_reserve(self):
        picking = self.order({"P4": 2})
        wave = self.wave_of(picking)
        wave.omni_screen_take()
        step = self.scan_and_pick(wave, quantity=0)
        self.assertTrue(step["finished"])
        self.assertEqual((step["done"], step["total"]), (0, 0))
        self.assertEqual(picking.move_ids.quantity, 0.0)
        self.assertEqual(self.bin["B-02-1"].quant_ids.quantity, 0.0)

    def test_productivity_per_operator_and_wave_type(self):
        rule = self.wave_rule("Productivity", order_type="multi_line", max_orders=9)
        self.order({"P1": 1, "P2": 2, "P4": 3})
        with freeze_time("2026-03-02 10:00:00"):
            wave = rule._release_waves().with_user(self.user_operator)
            wave.omni_screen_take()
        for minute in (1, 3, 6):
            with freeze_time(datetime(2026, 3, 2, 10, minute)):
                self.scan_and_pick(wave)
        Report = self.env["omni.pick.productivity"]
        self.env.flush_all()
        groups = Report._read_group(
            [("batch_id", "=", wave.id)],
            ["picker_id", "wave_type"],
            [
                "line_count:sum",
                "units:sum",
                "hours:sum",
                "lines_per_hour:sum",
                "units_per_hour:sum",
                "metres:sum",
            ],
        )
        self.assertEqual(len(groups), 1)
        picker, wave_type, lines, units, hours, lines_hour, units_hour, metres = groups[0]
        self.assertEqual((picker, wave_type), (self.user_operator, "multi_line"))
        # 3 lines, 6 units in 6 minutes (0.1 h): 30 lines and 60 units an hour
        self.assertEqual((lines, units), (3, 6.0))
        self.assertAlmostEqual(hours, 0.1)
        self.assertAlmostEqual(lines_hour, 30.0)
        self.assertAlmostEqual(units_hour, 60.0)
        # the wave's route: A-01 up to the back, B-04 and B-02 on the way down: 26 m
        self.assertAlmostEqual(metres, wave.omni_route_length)
        self.assertAlmostEqual(metres, 26.0)
        # readable through the pivot view by the operator
        pivot = Report.with_user(self.user_operator).read_group(
            [("batch_id", "=", wave.id)], ["lines_per_hour:sum"], ["warehouse_id"]
        )
        self.assertAlmostEqual(pivot[0]["lines_per_hour"], 30.0)
