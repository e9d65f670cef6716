import time
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TmsCommon
from .fake_servers import Fail


@tagged("post_install", "-at_install")
class TestCarrierRules(TmsCommon):
    def _quotes(self, order):
        return {quote.carrier_id: quote for quote in order.omni_carrier_quote_ids}

    def test_fixed_carrier_rule_sets_the_delivery_line_the_odoo_way(self):
        rule = self._rule(self.standard, country_ids=[Command.set(self.env.ref("base.fr").ids)])
        order = self._order(qty=2)
        order.action_omni_choose_carrier()
        self.assertEqual(order.carrier_id, self.standard)
        line = order.order_line.filtered("is_delivery")
        self.assertEqual(line.product_id, self.shipping_product)
        self.assertAlmostEqual(line.price_unit, 5.5 + 0.8 * 4)
        self.assertEqual(order.omni_carrier_rule_id, rule)
        self.assertIn("Test STD", order.omni_carrier_note)
        quote = order.omni_carrier_quote_ids
        self.assertRecordValues(
            quote, [{"carrier_id": self.standard.id, "state": "quoted", "chosen": True}]
        )
        self.assertEqual(len(self.server.requests_to("/v1/rates")), 1)

    def test_cheapest_within_the_lead_time_among_carriers_asked_in_parallel(self):
        self._rule(self.eco | self.standard | self.express, policy="cheapest", max_lead_time_days=2)
        order = self._order()
        order.action_omni_choose_carrier()
        self.assertEqual(order.carrier_id, self.standard)
        quotes = self._quotes(order)
        self.assertEqual(len(quotes), 3)
        self.assertAlmostEqual(quotes[self.eco].price, 3.9 + 0.6 * 2)
        self.assertEqual(quotes[self.eco].lead_time_days, 5)
        self.assertEqual([q.chosen for q in quotes.values()].count(True), 1)
        self.assertTrue(quotes[self.standard].chosen)
        self.assertEqual(len(set(quotes[self.eco].mapped("run_ref"))), 1)
        self.assertIn("within 2", order.omni_carrier_note)

    def test_cheapest_uses_the_promised_delivery_date_when_the_rule_has_no_limit(self):
        self._rule(self.eco | self.standard | self.express, policy="cheapest")
        relaxed = self._order()
        relaxed.action_omni_choose_carrier()
        self.assertEqual(relaxed.carrier_id, self.eco)
        promised = self._order(commitment_date=fields.Datetime.now() + timedelta(days=1, hours=6))
        promised.action_omni_choose_carrier()
        self.assertEqual(promised.carrier_id, self.express)

    def test_fastest_within_the_budget(self):
        self._rule(self.eco | self.standard | self.express, policy="fastest", budget=10.0)
        order = self._order()
        order.action_omni_choose_carrier()
        self.assertEqual(order.carrier_id, self.standard, "express costs 12.90, over budget")
        self._rule(self.eco | self.standard | self.express, policy="fastest", sequence=1)
        order = self._order()
        order.action_omni_choose_carrier()
        self.assertEqual(order.carrier_id, self.express)

    def test_a_failing_carrier_is_skipped_with_a_note(self):
        self._rule(self.eco | self.standard, policy="cheapest")
        (self.eco | self.standard).omni_max_retries = 0
        self.server.script(Fail(500), path="/v1/rates")
        order = self._order()
        order.action_omni_choose_carrier()
        quotes = self._quotes(order)
        failed = [q for q in quotes.values() if q.state == "failed"]
        self.assertEqual(len(failed), 1)
        self.assertIn("HTTP 500", failed[0].note)
        self.assertEqual(order.carrier_id, (self.eco | self.standard) - failed[0].carrier_id)

    def test_a_slow_carrier_times_out_without_holding_the_order(self):
        self._rule(self.eco | self.standard | self.express, policy="cheapest")
        self.eco.omni_timeout = 0.5
        self.server.account_latency["ECO"] = 3.0
        started = time.monotonic()
        order = self._order()
        order.action_omni_choose_carrier()
        self.assertLess(time.monotonic() - started, 2.5)
        quotes = self._quotes(order)
        self.assertEqual(quotes[self.eco].state, "timeout")
        self.assertIn("0.5", quotes[self.eco].note)
        self.assertEqual(order.carrier_id, self.standard)

    def test_carriers_without_omni_connector_are_quoted_alongside(self):
        fixed = self.env["delivery.carrier"].create(
            {
                "name": "Flat rate",
                "delivery_type": "fixed",
                "fixed_price": 4.0,
                "product_id": self.env["product.product"]
                .create({"name": "Flat shipping", "type": "service", "list_price": 4.0})
                .id,
                "omni_lead_time_days": 3,
            }
        )
        self._rule(fixed | self.standard | self.express, policy="cheapest", max_lead_time_days=3)
        order = self._order()
        order.action_omni_choose_carrier()
        quotes = self._quotes(order)
        self.assertEqual(quotes[fixed].state, "quoted")
        self.assertEqual(quotes[fixed].lead_time_days, 3)
        self.assertEqual(order.carrier_id, fixed)

    def test_when_no_carrier_answers_the_user_is_told_why(self):
        self._rule(self.eco | self.standard, policy="cheapest")
        (self.eco | self.standard).omni_max_retries = 0
        self.server.script(Fail(503), Fail(503))
        error = self._fails(self._order().action_omni_choose_carrier)
        self.assertIsInstance(error, UserError)
        self.assertIn("Test ECO", str(error))
        self.assertIn("503", str(error))

    def test_conditions_read_from_the_order(self):
        team = self.env["crm.team"].create({"name": "Marketplace"})
        europe = self.env["res.country.group"].create(
            {"name": "Test zone", "country_ids": [Command.set(self.env.ref("base.it").ids)]}
        )
        by_channel = self._rule(self.eco, team_ids=[Command.set(team.ids)], sequence=1)
        by_amount = self._rule(self.standard, amount_min=1000.0, sequence=2)
        by_zone = self._rule(self.standard, country_group_ids=[Command.set(europe.ids)], sequence=3)
        by_zip = self._rule(self.eco, zip_prefixes="201", sequence=4)
        by_service = self._rule(self.express, service_level="relay", sequence=5)
        by_promise = self._rule(self.express, max_promised_days=2.0, sequence=6)
        cases = [
            (self._order(team_id=team.id), by_channel),
            (self._order(qty=13), by_amount),
            (self._order(partner=self.customer_it), by_zone),
        ]
        for order, rule in cases:
            order.action_omni_choose_carrier()
            self.assertEqual(order.omni_carrier_rule_id, rule, order.name)
        by_zone.active = False
        order = self._order(partner=self.customer_it)
        order.action_omni_choose_carrier()
        self.assertEqual(order.omni_carrier_rule_id, by_zip)
        order = self._order(pickup_location_data={"id": "RELAY42", "name": "Relay"})
        self.assertEqual(order.omni_service_level, "relay")
        order.action_omni_choose_carrier()
        self.assertEqual(order.omni_carrier_rule_id, by_service)
        self.assertEqual(self.server.requests[-1].json()["pickup_point"], "RELAY42")
        soon = fields.Datetime.now() + timedelta(days=1)
        order = self._order(commitment_date=soon)
        order.action_omni_choose_carrier()
        self.assertEqual(order.omni_carrier_rule_id, by_promise)

    def test_facts_of_an_order(self):
        team = self.env["crm.team"].create({"name": "Web"})
        order = self._order(
            qty=3, team_id=team.id, commitment_date=fields.Datetime.now() + timedelta(days=2)
        )
        facts = self.env["omni.carrier.selection"]._omni_facts(order._omni_shipping_data())
        self.assertEqual(facts.weight, 6.0)
        self.assertIsNone(facts.length, "unknown before packing")
        self.assertEqual(facts.country_id, self.env.ref("base.fr").id)
        self.assertIn(self.env.ref("base.europe").id, facts.zone_ids)
        self.assertEqual((facts.zip, facts.channel_id), ("75011", team.id))
        self.assertAlmostEqual(facts.amount, 240.0)
        self.assertAlmostEqual(facts.promised_days, 2.0, places=2)

    def test_parcel_conditions_apply_at_packing(self):
        box = self.env["stock.package.type"].create(
            {"name": "Box 60", "packaging_length": 600, "width": 400, "height": 300}
        )
        self._rule(self.standard, sequence=20)
        by_box = self._rule(
            self.express, package_type_ids=[Command.set(box.ids)], max_length=600, sequence=10
        )
        order = self._order()
        order.action_omni_choose_carrier()
        self.assertEqual(order.carrier_id, self.standard, "parcel type unknown on the order")
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(picking.omni_carrier_rule_id, order.omni_carrier_rule_id)
        picking.action_assign()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        self._pack(picking, box)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id, self.express)
        self.assertEqual(picking.omni_carrier_rule_id, by_box)
        self.assertTrue(picking.carrier_tracking_ref)
        packing = picking.omni_carrier_quote_ids
        self.assertEqual(packing.mapped("stage"), ["packing"])
        shipment_request = self.server.requests_to("/v1/shipments", "POST")[0].json()
        self.assertEqual(shipment_request["parcels"][0]["length"], 60.0, "mm to cm")

    def test_the_real_weight_changes_the_carrier_at_packing(self):
        self._rule(self.standard, max_weight=10.0, sequence=10)
        heavy = self._rule(self.eco, min_weight=10.0, sequence=20)
        order = self._order()
        order.action_omni_choose_carrier()
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        self._pack(picking, shipping_weight=14.0)
        picking.button_validate()
        self.assertEqual(picking.carrier_id, self.eco)
        self.assertEqual(picking.omni_carrier_rule_id, heavy)
        self.assertEqual(order.carrier_id, self.standard, "the order keeps its estimate")

    def test_carriers_failing_at_packing_keep_the_carrier(self):
        self._rule(self.standard)
        order = self._order()
        order.action_omni_choose_carrier()
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        self.standard.omni_max_retries = 0
        self.server.script(Fail(503), path="/v1/rates")
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id, self.standard)
        self.assertTrue(picking.carrier_tracking_ref)
        self.assertEqual(picking.omni_carrier_quote_ids.state, "failed")

    def test_a_carrier_chosen_by_hand_is_not_chosen_again(self):
        self._rule(self.standard)
        order = self._order()
        order.action_omni_choose_carrier()
        order.action_confirm()
        picking = order.picking_ids
        self.assertTrue(picking.omni_carrier_rule_id)
        picking.carrier_id = self.eco
        self.assertFalse(picking.omni_carrier_rule_id)

    def test_rules_on_confirmation_when_the_company_asks(self):
        self._rule(self.standard, country_ids=[Command.set(self.env.ref("base.fr").ids)])
        order = self._order()
        order.action_confirm()
        self.assertFalse(order.carrier_id, "off by default")
        self.company.omni_carrier_rules_on_confirm = True
        order = self._order()
        order.action_confirm()
        self.assertEqual(order.carrier_id, self.standard)
        self.assertEqual(order.picking_ids.carrier_id, self.standard)
        uncovered = self._order(partner=self.customer_it)
        uncovered.action_confirm()
        self.assertEqual(uncovered.state, "sale")
        self.assertFalse(uncovered.carrier_id)
        self.assertTrue(
            any("No carrier rule covers" in message.body for message in uncovered.message_ids)
        )


@tagged("post_install", "-at_install")
class TestCarrierChoiceBadInput(TmsCommon):
    """Bad input is refused before any carrier is asked."""

    def assertRefusedBeforeAnyCall(self, order, *fragments):
        with self.assertRaises(UserError) as caught:
            order.action_omni_choose_carrier()
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        self.assertEqual(self.server.requests, [])
        self.assertFalse(order.omni_carrier_quote_ids)

    def test_parcel_heavier_than_any_carrier_takes(self):
        self._rule(self.eco | self.standard, policy="cheapest")
        order = self._order(product=self.heavy_product, qty=3)
        self.assertRefusedBeforeAnyCall(order, "36.0 kg", "at most 30.0 kg", "split it")

    def test_destination_no_rule_covers(self):
        self._rule(self.standard, country_ids=[Command.set(self.env.ref("base.fr").ids)])
        self.assertRefusedBeforeAnyCall(
            self._order(partner=self.customer_it), "No carrier rule covers", "Milano", "Italy"
        )

    def test_missing_address_fields(self):
        self._rule(self.standard)
        self.customer_fr.write({"street": False, "zip": False})
        self.assertRefusedBeforeAnyCall(self._order(), "Camille Martin", "a street", "a zip code")

    def test_products_without_weight(self):
        self._rule(self.standard)
        self.product.weight = 0
        self.assertRefusedBeforeAnyCall(self._order(), "weighs nothing")

    def test_every_carrier_of_the_rule_is_out_of_bounds(self):
        self._rule(self.express, policy="cheapest")
        self.express.country_ids = self.env.ref("base.be")
        self.assertRefusedBeforeAnyCall(
            self._order(), "No carrier of rule", "does not deliver to this address"
        )
