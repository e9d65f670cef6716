from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OmniWaveCommon


@tagged("post_install", "-at_install")
class TestWaveRules(OmniWaveCommon):
    """Which orders a rule takes, the limits of its waves, how they are batched and
    when they are released."""

    def released(self, rule):
        waves = rule._release_waves()
        return [sorted(wave.picking_ids.ids) for wave in waves]

    def test_a_rule_without_limit_is_refused_and_nothing_is_written(self):
        count = self.env["omni.wave.rule"].search_count([])
        with self.assert_refused("has no limit: set at least one of max orders"):
            self.wave_rule("No limit")
        self.assertEqual(self.env["omni.wave.rule"].search_count([]), count)
        rule = self.wave_rule("Limited", max_orders=5)
        with self.assert_refused("has no limit"):
            rule.max_orders = 0
        with self.assert_refused("cannot be negative"):
            rule.max_lines = -1

    def test_rules_by_carrier_and_zone_say_what_they_lack(self):
        with self.assert_refused("groups orders by carrier: choose its carriers"):
            self.wave_rule("Carrier", order_type="carrier", max_orders=5)
        with self.assert_refused("groups orders by zone: choose the zone"):
            self.wave_rule("Zone", order_type="zone", max_orders=5)
        with self.assert_refused("is not a time of day"):
            self.wave_rule("Times", max_orders=5, release_mode="fixed_times", release_times="8h")
        with self.assert_refused("give the cut-off time"):
            self.wave_rule("Cut-off", max_orders=5, release_mode="cutoff")

    def test_each_order_goes_to_the_first_rule_of_its_type(self):
        company = self.env["res.partner"].create({"name": "OWT Business", "is_company": True})
        person = self.env["res.partner"].create({"name": "OWT Consumer"})
        urgent = self.order({"P3": 2}, partner=person, priority=True)
        single_unit = self.order({"P1": 1}, partner=person)
        single_line = self.order({"P2": 3}, partner=person)
        multi_line = self.order({"P1": 1, "P4": 1}, partner=person)
        business = self.order({"P5": 1, "P6": 1}, partner=company)
        rules = {
            "priority": self.wave_rule("Express", order_type="priority", sequence=1, max_orders=9),
            "b2b": self.wave_rule("B2B", order_type="b2b", sequence=2, max_orders=9),
            "single_unit": self.wave_rule(
                "Single unit", order_type="single_unit", sequence=3, max_orders=9
            ),
            "single_line": self.wave_rule(
                "Single line", order_type="single_line", sequence=4, max_orders=9
            ),
            "multi_line": self.wave_rule(
                "Multi line", order_type="multi_line", sequence=5, max_orders=9
            ),
        }
        expected = {
            "priority": urgent,
            "b2b": business,
            "single_unit": single_unit,
            "single_line": single_line,
            "multi_line": multi_line,
        }
        for kind, rule in rules.items():
            with self.subTest(kind=kind):
                self.assertEqual(self.released(rule), [expected[kind].ids])
                wave = rule.wave_ids
                self.assertTrue(wave.is_wave)
                self.assertEqual(wave.state, "in_progress")
                self.assertEqual(wave.omni_wave_type, kind)

    def test_click_and_collect_orders_are_those_shipped_to_a_store(self):
        store = self.env["stock.warehouse"].create({"name": "OWT Store", "code": "OWS"})
        to_store = self.order({"P1": 1}, partner=store.partner_id)
        self.order({"P2": 1})
        rule = self.wave_rule("Click & collect", order_type="click_collect", max_orders=9)
        self.assertEqual(self.released(rule), [to_store.ids])

    def test_carrier_and_zone_rules(self):
        carrier = self.env["delivery.carrier"].create(
            {
                "name": "OWT Carrier",
                "product_id": self.env["product.product"]
                .create({"name": "OWT Shipping", "type": "service"})
                .id,
            }
        )
        shipped = self.order({"P1": 1})
        shipped.carrier_id = carrier
        other = self.order({"P2": 1})
        in_zone = self.order({"P3": 2})
        by_carrier = self.wave_rule(
            "Carrier", order_type="carrier", carrier_ids=[carrier.id], max_orders=9
        )
        self.assertEqual(self.released(by_carrier), [shipped.ids])
        zone = self.bin["D-02-1"]
        by_zone = self.wave_rule("Zone", order_type="zone", zone_location_id=zone.id, max_orders=9)
        self.assertEqual(self.released(by_zone), [in_zone.ids])
        self.assertFalse(other.batch_id)

    def test_each_limit_caps_the_waves(self):
        orders = [self.order({"P1": 1, "P4": 2}) for _index in range(4)]
        self.products["P1"].weight = 1.5
        self.products["P4"].volume = 0.01
        cases = {
            "max_orders": (3, [3, 1]),
            "max_lines": (5, [2, 2]),
            "max_units": (7, [2, 2]),
            "max_weight": (3.0, [2, 2]),
            "max_volume": (0.04, [2, 2]),
            "totes": (1, [1, 1, 1, 1]),
        }
        for limit, (value, sizes) in cases.items():
            with self.subTest(limit=limit):
                rule = self.wave_rule(f"Limit {limit}", **{limit: value})
                waves = rule._release_waves()
                self.assertEqual(sorted(len(wave.picking_ids) for wave in waves), sorted(sizes))
                self.assertEqual(sorted(waves.picking_ids.ids), sorted(p.id for p in orders))
                # give the orders back for the next limit
                waves.picking_ids.batch_id = False
                waves.action_cancel()
                rule.active = False

    def test_waves_are_batched_by_route_savings_not_in_arrival_order(self):
        # Arrival order A, D, A, D with two orders per wave walks A-01 + D-02 (28 m)
        # then A-01 + D-04 (38 m). Batching by savings puts the two D orders together
        # (D-04 and D-02 in one trip up aisle D and back: 9 + 17.5 + 9 = 35.5 m) and the
        # two A orders together (1.25 m up aisle A and back: 2.5 m): 28 m less.
        first_a = self.order({"P1": 1})
        first_d = self.order({"P3": 1})
        second_a = self.order({"P1": 1})
        second_d = self.order({"P6": 1})
        rule = self.wave_rule("Savings", max_orders=2)
        waves = rule._release_waves()
        self.assertEqual(
            sorted(sorted(wave.picking_ids.ids) for wave in waves),
            sorted([sorted((first_d | second_d).ids), sorted((first_a | second_a).ids)]),
        )
        self.assertEqual(sorted(waves.mapped("omni_route_length")), [2.5, 35.5])
        self.assertAlmostEqual(rule.last_release_length, 38.0)
        self.assertAlmostEqual(rule.last_arrival_length, 66.0)
        self.assertAlmostEqual(rule.last_saved_length, 28.0)
        self.assertTrue(all(waves.move_line_ids.mapped("omni_pick_sequence")))

    def test_cluster_totes_one_per_order_on_the_pick_list(self):
        orders = [self.order({"P1": 1}), self.order({"P2": 1}), self.order({"P4": 2})]
        rule = self.wave_rule("Cart", totes=3)
        wave = rule._release_waves()
        self.assertEqual(len(wave), 1)
        self.assertEqual(sorted(wave.picking_ids.mapped("omni_tote")), [1, 2, 3])
        for picking in orders:
            self.assertEqual(set(picking.move_line_ids.mapped("omni_tote")), {picking.omni_tote})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("omni_wms.stock_picking_batch_report_omni_pick_list", wave.ids)[0]
            .decode()
        )
        self.assertIn("Tote", html)
        step = wave.omni_screen_next_step()
        line = self.env["stock.move.line"].browse(step["line"]["id"])
        self.assertEqual(step["line"]["tote"], line.picking_id.omni_tote)

    def test_orders_of_an_automatic_batch_not_started_go_to_waves(self):
        self.warehouse.out_type_id.auto_batch = True
        partner = self.env["res.partner"].create({"name": "OWT Same Customer"})
        orders = self.order({"P1": 1}, partner=partner) | self.order({"P2": 1}, partner=partner)
        automatic = orders.batch_id
        self.assertEqual(len(automatic), 1)
        self.assertFalse(automatic.is_wave)
        wave = self.wave_rule("Waves first", max_orders=9)._release_waves()
        self.assertEqual(orders.batch_id, wave)
        self.assertFalse(automatic.exists(), "the empty automatic batch is removed")

    def test_waves_made_by_hand_get_totes(self):
        wave = self.wave_of(self.order({"P1": 1}), self.order({"P2": 1}))
        self.assertEqual(sorted(wave.picking_ids.mapped("omni_tote")), [1, 2])

    def test_release_before_the_carrier_cut_off(self):
        # cut-off 16:00 UTC, released 90 minutes before: at 14:30
        rule = self.wave_rule(
            "Before cut-off",
            max_orders=9,
            release_mode="cutoff",
            cutoff_time=16.0,
            release_lead_minutes=90,
        )
        picking = self.order({"P1": 1})
        rule._release_due_waves(now=datetime(2026, 3, 2, 14, 20))
        self.assertFalse(picking.batch_id)
        rule._release_due_waves(now=datetime(2026, 3, 2, 14, 31))
        self.assertEqual(picking.batch_id.omni_wave_rule_id, rule)
        self.assertEqual(rule.last_release_date, datetime(2026, 3, 2, 14, 31))
        late = self.order({"P2": 1})
        rule._release_due_waves(now=datetime(2026, 3, 2, 15, 0))
        self.assertFalse(late.batch_id, "released once per cut-off")
        rule._release_due_waves(now=datetime(2026, 3, 3, 14, 30))
        self.assertEqual(late.batch_id.omni_wave_rule_id, rule, "released the next day")

    def test_release_at_fixed_times(self):
        rule = self.wave_rule(
            "Twice a day", max_orders=9, release_mode="fixed_times", release_times="08:00, 13:30"
        )
        self.assertFalse(rule._is_release_due(datetime(2026, 3, 2, 7, 59)))
        self.assertTrue(rule._is_release_due(datetime(2026, 3, 2, 8, 0)))
        rule.last_release_date = datetime(2026, 3, 2, 8, 5)
        self.assertFalse(rule._is_release_due(datetime(2026, 3, 2, 13, 0)))
        self.assertTrue(rule._is_release_due(datetime(2026, 3, 2, 13, 45)))

    def test_managers_release_waves_operators_read_rules(self):
        self.order({"P1": 1})
        rule = self.wave_rule("Release", max_orders=9)
        with self.assertRaises(AccessError):
            rule.with_user(self.user_operator).action_release_waves()
        self.assertEqual(rule.with_user(self.user_operator).name, "Release")
        result = rule.with_user(self.user_manager).action_release_waves()
        self.assertIn("1 wave(s), 1 order(s)", result["params"]["message"])
        with self.assertRaises(AccessError):
            self.env["omni.wave.rule"].with_user(self.user_operator).create(
                {"name": "No", "warehouse_id": self.warehouse.id, "max_orders": 1}
            )
