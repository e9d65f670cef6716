from odoo.tests import tagged

from .common import OmniWaveCommon


@tagged("post_install", "-at_install")
class TestReplenishment(OmniWaveCommon):
    """Pick faces kept filled from reserve by the waves released."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # P2 is picked from B-04-1 (50 units there); its reserve is C-04-2
        cls.reserve = cls.bin["C-04-2"]
        cls.face = cls.env["omni.pick.face"].create(
            {
                "location_id": cls.bin["B-04-1"].id,
                "product_id": cls.products["P2"].id,
                "reserve_location_id": cls.reserve.id,
                "min_qty": 10,
                "max_qty": 40,
            }
        )

    def stock_reserve(self, quantity):
        self.env["stock.quant"]._update_available_quantity(
            self.products["P2"], self.reserve, quantity
        )

    def test_a_pick_face_without_reserve_is_refused_and_nothing_is_written(self):
        count = self.env["omni.pick.face"].search_count([])
        with self.assert_refused(
            "The pick face OWT/Stock/A-01-1 of .*OWT-P1.* has no reserve location: set the "
            "location it is replenished from"
        ):
            self.env["omni.pick.face"].create(
                {
                    "location_id": self.bin["A-01-1"].id,
                    "product_id": self.products["P1"].id,
                    "min_qty": 1,
                    "max_qty": 5,
                }
            )
        self.assertEqual(self.env["omni.pick.face"].search_count([]), count)
        with self.assert_refused("contains it or lies within it"):
            self.face.reserve_location_id = self.stock
        with self.assert_refused("0 <= minimum <= maximum"):
            self.face.min_qty = 50

    def test_a_released_wave_replenishes_its_faces_once(self):
        self.stock_reserve(100)
        self.order({"P2": 30})
        self.order({"P2": 15})
        rule = self.wave_rule("Replenish", max_orders=9)
        wave = rule._release_waves()
        # 50 on the face, 45 to pick: 5 left, below the minimum of 10: bring 40 - 5
        moves = self.face.replenishment_move_ids
        self.assertEqual(moves.mapped("product_uom_qty"), [35.0])
        self.assertEqual(moves.location_id, self.reserve)
        self.assertEqual(moves.location_dest_id, self.bin["B-04-1"])
        self.assertEqual(moves.state, "assigned")
        replenishment = moves.picking_id
        self.assertTrue(replenishment.omni_route_date, "walked along a route of its own")
        self.assertNotIn(replenishment, wave.picking_ids)
        self.assertEqual(self.face.qty_incoming, 35.0)
        # released again with one more order: 50 + 35 - 46 = 39, above the minimum
        self.order({"P2": 1})
        rule._release_waves()
        self.assertEqual(self.face.replenishment_move_ids, moves)
        # the schedule finds nothing more to do either
        self.env["omni.pick.face"]._cron_replenish()
        self.assertEqual(self.face.replenishment_move_ids, moves)
        self.assertFalse(self.face.short_qty)

    def test_a_face_whose_reserve_cannot_cover_is_reported_short(self):
        self.stock_reserve(20)
        self.order({"P2": 45})
        rule = self.wave_rule("Short reserve", max_orders=9)
        rule._release_waves()
        # 35 needed, 20 in reserve: 20 brought, 15 short
        self.assertEqual(self.face.replenishment_move_ids.mapped("product_uom_qty"), [20.0])
        self.assertEqual(self.face.short_qty, 15.0)
        self.assertTrue(self.face.short_date)
        short = self.env["omni.pick.face"].search(
            [("short_qty", ">", 0), ("warehouse_id", "=", self.warehouse.id)]
        )
        self.assertEqual(short, self.face)
        tile = self.env.ref("omni_wms.omni_dashboard_tile_pick_faces_short")
        shown = self.env["omni.pick.face"].search(
            tile.with_user(self.user_operator).action_open()["domain"]
        )
        self.assertIn(self.face, shown)
        self.assertTrue(tile.alert)

    def test_no_wave_no_replenishment_above_the_minimum(self):
        self.stock_reserve(100)
        self.assertFalse(self.env["omni.pick.face"]._cron_replenish())
        self.assertFalse(self.face.replenishment_move_ids)
