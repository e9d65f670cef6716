from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestWmsDemoGenerator(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dataset = cls.env["omni.demo.generator"]._generate(
            stores=1,
            products=12,
            customers=4,
            orders=0,
            prefix="TWMS",
            seed=3,
            wms_aisles=4,
            wms_bays=5,
            wms_levels=2,
            wms_wave_pickings=3,
        )

    def test_central_dc_gets_a_layout_and_placed_bins(self):
        layout = self.dataset["pick_layout"]
        self.assertEqual(layout.warehouse_id, self.dataset["distribution_centers"][0])
        self.assertEqual((layout.aisle_count, layout.aisle_length), (4, 7.5))
        self.assertEqual(layout.placed_location_count, 40)
        bins = self.dataset["pick_bins"]
        self.assertEqual(bins[0].name, "A-01-1")
        self.assertEqual(
            (bins[-1].name, bins[-1].omni_aisle, bins[-1].omni_aisle_position, bins[-1].omni_level),
            ("D-05-2", 4, 6.75, 2),
        )

    def test_stock_sits_in_the_bins(self):
        warehouse = self.dataset["distribution_centers"][0]
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "in", self.dataset["products"].ids),
                ("warehouse_id", "=", warehouse.id),
            ]
        )
        self.assertTrue(quants)
        self.assertLessEqual(quants.location_id, self.dataset["pick_bins"])

    def test_wave_is_routed(self):
        wave = self.dataset["wave"]
        self.assertTrue(wave.is_wave)
        self.assertEqual(len(wave.picking_ids), 3)
        self.assertGreater(wave.omni_route_length, 0)
        self.assertEqual(wave.omni_unrouted_count, 0)
        sequences = wave.move_line_ids.mapped("omni_pick_sequence")
        self.assertEqual(sorted(sequences), list(range(1, len(sequences) + 1)))
