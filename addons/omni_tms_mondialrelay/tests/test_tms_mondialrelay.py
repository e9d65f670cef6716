import json
from datetime import timedelta

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.omni_tms.tests.common import TmsCommon
from odoo.addons.omni_tms.tests.fake_servers import Drop, Fail, Garble, Hang

from .fake_servers import MondialRelayServer

BRAND, PRIVATE_KEY = "OMNITEST", "Pr1vateKey42"


@tagged("post_install", "-at_install")
class TestMondialRelay(TmsCommon):
    """Mondial Relay through Odoo's flows against its fake web services."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mr_server = MondialRelayServer(accounts={BRAND: PRIVATE_KEY})
        cls.mr_server.start()
        cls.addClassCleanup(cls.mr_server.stop)
        cls.company.partner_id.phone = "+33 4 72 00 00 00"
        cls.relay = cls._mondialrelay("Mondial Relay relay", "24R")
        cls.home = cls._mondialrelay("Mondial Relay home", "HOM")

    def setUp(self):
        super().setUp()
        self.mr_server.reset()

    @classmethod
    def _mondialrelay(cls, name, mode, **vals):
        return cls.env["delivery.carrier"].create(
            {
                "name": name,
                "delivery_type": "omni_mondialrelay",
                "product_id": cls.shipping_product.id,
                "omni_mondialrelay_brand": BRAND,
                "omni_mondialrelay_private_key": PRIVATE_KEY,
                "omni_mondialrelay_url": cls.mr_server.endpoint,
                "omni_mondialrelay_prod_url": f"{cls.mr_server.url}/live/Web_Services.asmx",
                "omni_mondialrelay_label_host": cls.mr_server.url,
                "omni_mondialrelay_delivery_mode": mode,
                "omni_timeout": 2.0,
                "omni_max_retries": 2,
                "price_rule_ids": [
                    Command.create(
                        {
                            "variable": "weight",
                            "operator": "<=",
                            "max_value": 5.0,
                            "list_base_price": 4.9,
                        }
                    ),
                    Command.create(
                        {
                            "variable": "weight",
                            "operator": "<=",
                            "max_value": 30.0,
                            "list_base_price": 8.5,
                            "list_price": 0.2,
                            "variable_factor": "weight",
                        }
                    ),
                ],
                **vals,
            }
        )

    def _relay_delivery(self):
        order = self._order()
        order.set_delivery_line(self.relay, 4.9)
        result = order._get_pickup_locations()
        location = result["pickup_locations"][0]
        order._set_pickup_location(json.dumps(location))
        return self._ready(order), location

    def _shipment(self, picking, kind="outbound"):
        return self.env["omni.shipment"].search(
            [("picking_id", "=", picking.id), ("kind", "=", kind)], order="id desc", limit=1
        )

    def _sent(self, operation):
        """Parameters of the SOAP requests received for ``operation``."""
        sent = []
        for request in self.mr_server.requests_to("/Web_Services.asmx", "POST"):
            element = etree.fromstring(request.body).xpath("//*[local-name()='Body']/*")[0]
            if etree.QName(element).localname == operation:
                sent.append({etree.QName(child).localname: child.text for child in element})
        return sent

    # Rates ------------------------------------------------------------------------

    def test_rate_on_a_sale_order_comes_from_the_pricing_rules(self):
        order = self._order(qty=3)  # 6 kg
        wizard = Form(
            self.env["choose.delivery.carrier"].with_context(
                default_order_id=order.id, default_carrier_id=self.home.id
            )
        ).save()
        wizard.update_price()
        self.assertAlmostEqual(wizard.delivery_price, 8.5 + 0.2 * 6)
        wizard.button_confirm()
        self.assertAlmostEqual(order.order_line.filtered("is_delivery").price_unit, 9.7)
        self.assertFalse(self.mr_server.requests, "Mondial Relay has no rate service")

    def test_rate_shopping_quotes_mondialrelay_from_its_rules(self):
        self._rule(self.home | self.standard, policy="cheapest")
        order = self._order()
        order.action_omni_choose_carrier()
        # Mondial Relay 4.9 by its rules, the test carrier 5.5 + 0.8 x 2 kg.
        self.assertEqual(order.carrier_id, self.home)
        self.assertAlmostEqual(order.order_line.filtered("is_delivery").price_unit, 4.9)
        self.assertFalse(self.mr_server.requests)

    # Relay points -------------------------------------------------------------------

    def test_relay_points_feed_the_pickup_location_flow_and_the_label(self):
        self.assertTrue(self.relay.omni_mondialrelay_use_locations)
        self.assertFalse(self.home.omni_mondialrelay_use_locations)
        picking, location = self._relay_delivery()
        search = self._sent("WSI4_PointRelais_Recherche")[0]
        self.assertEqual((search["Pays"], search["CP"], search["Action"]), ("FR", "75011", "24R"))
        self.assertEqual(len(location["id"]), 6)
        self.assertEqual(set(location["opening_hours"]), {str(day) for day in range(7)})
        self.assertTrue(float(location["latitude"]))
        # Odoo's flow turned the relay point into the delivery address.
        self.assertEqual(picking.partner_id.zip, location["zip_code"])
        self.assertEqual(picking.partner_id.parent_id, self.customer_fr)
        picking.button_validate()
        label = self._sent("WSI2_CreationEtiquette")[0]
        self.assertEqual(
            (label["ModeLiv"], label["LIV_Rel"], label["LIV_Rel_Pays"]),
            ("24R", location["id"], "FR"),
        )
        # The parcel is handed over to the customer named on the label.
        self.assertEqual(label["Dest_Ad1"], "Camille Martin")
        self.assertEqual(label["Dest_CP"], location["zip_code"])
        self.assertEqual(label["Dest_Mail"], "camille@example.com")
        shipment = self._shipment(picking)
        self.assertEqual(shipment.state, "done")
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        self.assertEqual(label["NDossier"], shipment.name.replace("/", "-")[-15:])
        # A return from a relay delivery comes from the customer.
        self.relay.get_return_label(picking, tracking_number=shipment.tracking_number)
        back = self._sent("WSI2_CreationEtiquette")[-1]
        self.assertEqual((back["ModeLiv"], back["Expe_Ad1"]), ("LCC", "Camille Martin"))

    def test_backend_pickup_point_wizard_uses_the_same_flow(self):
        salesman = new_test_user(
            self.env, login="mr_salesman", groups="sales_team.group_sale_salesman"
        )
        order = self._order(user_id=salesman.id)
        order.set_delivery_line(self.relay, 4.9)
        self.assertTrue(order.omni_use_pickup_locations)
        action = order.with_user(salesman).action_omni_choose_pickup_location()
        wizard = self.env["omni.pickup.location.wizard"].browse(action["res_id"])
        self.assertEqual((wizard.zip_code, wizard.country_id.code), ("75011", "FR"))
        self.assertEqual(len(wizard.line_ids), 8)
        nearest = wizard.line_ids[0]
        self.assertEqual(nearest.distance, min(wizard.line_ids.mapped("distance")))
        self.assertIn("Mon 09:00 - 12:30", nearest.opening_hours)
        nearest.with_user(salesman).action_select()
        self.assertEqual(order.pickup_location_data["id"], nearest.location_id)
        self.assertIn(nearest.location_id, order.omni_pickup_location)
        order.action_confirm()
        self.assertEqual(order.partner_shipping_id.zip, nearest.zip_code)
        with self.assertRaises(UserError):
            nearest.action_select()  # the order is confirmed
        wizard.zip_code = "6900"
        wizard.action_search()
        self.assertIn("STAT 36", wizard.error)
        self.assertFalse(wizard.line_ids)
        home_order = self._order()
        home_order.set_delivery_line(self.home, 4.9)
        self.assertFalse(home_order.omni_use_pickup_locations)

    def test_relay_point_search_errors_are_shown_to_the_customer(self):
        order = self._order()
        order.set_delivery_line(self.relay, 4.9)
        result = order._get_pickup_locations("6900", self.env.ref("base.fr"))
        self.assertIn("STAT 36", result["error"])
        self.assertIn("postcode", result["error"])

    def test_a_relay_delivery_needs_its_relay_point(self):
        order = self._order()
        order.set_delivery_line(self.relay, 4.9)
        picking = self._ready(order)
        error = self._fails(picking.send_to_shipper)
        self.assertIn("choose the relay point", str(error))
        self.assertRecordValues(
            self._shipment(picking), [{"state": "error", "error_code": "LIV_Rel"}]
        )
        self.assertFalse(self.mr_server.requests)

    # Labels ---------------------------------------------------------------------------

    def test_home_label_on_validation_fetched_from_the_returned_url(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        picking.button_validate()
        shipment = self._shipment(picking)
        self.assertRecordValues(shipment, [{"state": "done", "attempt_count": 1}])
        self.assertEqual(self._sent("WSI2_CreationEtiquette")[0]["ModeLiv"], "HOM")
        download = self.mr_server.requests_to("/ww2/PDF/StickerMaker2.aspx", "GET")
        self.assertEqual(download[0].query["format"], "10x15")
        label = picking._omni_label_attachments()
        self.assertEqual(
            label.name, f"LabelShipping-omni_mondialrelay-{shipment.tracking_number}.pdf"
        )
        self.assertTrue(label.raw.startswith(b"%PDF"))
        self.assertAlmostEqual(picking.carrier_price, 4.9)
        self.assertIn(f"exp={shipment.tracking_number}", picking.carrier_tracking_url)
        self.assertIn(f"ens={BRAND}", picking.carrier_tracking_url)

    def test_a_label_lost_after_creation_is_downloaded_again(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        # The expedition is created, every download of its label fails.
        self.mr_server.script(Fail(503), Fail(503), Fail(503), path="/ww2/")
        with self.assertLogs("odoo.addons.omni_tms.carrier.omni_mondialrelay", "WARNING"):
            picking.button_validate()
        shipment = self._shipment(picking)
        self.assertIn("Download Label", " ".join(picking.message_ids.mapped("body")))
        self.assertRecordValues(shipment, [{"state": "done", "label": False}])
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        self.assertFalse(picking._omni_label_attachments())
        shipment.action_fetch_label()
        self.assertTrue(shipment.label)
        label = picking._omni_label_attachments()
        self.assertEqual(
            label.name, f"LabelShipping-omni_mondialrelay-{shipment.tracking_number}.pdf"
        )
        self.assertTrue(label.raw.startswith(b"%PDF"))
        self.assertEqual(len(self.mr_server.expeditions), 1)
        self.assertEqual(len(self._sent("WSI3_GetEtiquettes")), 1)

    def test_production_endpoint(self):
        self.home.prod_environment = True
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        self._ready(order).button_validate()
        self.assertEqual(self.mr_server.requests[0].path, "/live/Web_Services.asmx")

    def test_a_refusal_names_the_code_and_the_fix_on_the_shipment(self):
        customer = self._customer("Jean Dupont", "1 Rue de la Paix", "00100", "Paris", "fr")
        order = self._order(partner=customer)
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        error = self._fails(picking.send_to_shipper)
        self.assertIsInstance(error, UserError)
        self.assertIn("STAT 93", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "error_code": "93", "retryable": False}]
        )
        self.assertIn("postcode", shipment.error_message)
        self.assertIn("WSI2_CreationEtiquette", shipment.exchange_log)
        self.assertFalse(self.mr_server.expeditions)

    def test_an_address_too_long_is_cut_between_words(self):
        customer = self._customer(
            "Etablissements Lefèvre et Fils Réunis",
            "Résidence Les Tilleuls, 14 Avenue",
            "69370",
            "Saint-Didier-au-Mont-d'Or les Hautes",
            "fr",
        )
        customer.street2 = "Escalier B, Quatrième étage, porte gauche"
        order = self._order(partner=customer)
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        picking.button_validate()
        self.assertEqual(self._shipment(picking).state, "done")
        sent = self._sent("WSI2_CreationEtiquette")[0]
        self.assertEqual(
            [sent[f"Dest_Ad{line}"] for line in range(1, 5)],
            [
                "Etablissements Lefevre et Fils",
                "Reunis",
                "Residence Les Tilleuls, 14",
                "Avenue Escalier B, Quatrieme",
            ],
        )
        self.assertEqual(sent["Dest_Ville"], "Saint-Didier-au-Mont-d'Or")

    def test_letters_outside_latin1_never_break_the_label(self):
        customer = self._customer("Łukasz Żółć", "ulica Piotrkowska 12", "75011", "Łódź", "fr")
        customer.email = "łukasz@example.pl"
        order = self._order(partner=customer)
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        with self.assertLogs("odoo.addons.omni_tms.carrier.omni_mondialrelay", "WARNING"):
            picking.button_validate()
        self.assertEqual(self._shipment(picking).state, "done")
        sent = self._sent("WSI2_CreationEtiquette")[0]
        self.assertEqual((sent["Dest_Ad1"], sent["Dest_Ville"]), ("Lukasz Zolc", "Lodz"))
        self.assertNotIn("Dest_Mail", sent)

    def test_a_soap_fault_is_kept_on_the_shipment(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        self.mr_server.fail_next("fault")
        error = self._fails(picking.send_to_shipper)
        self.assertIn("Server was unable to process request", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "error_code": "soap:Server", "outcome_unknown": False}]
        )
        self.assertEqual(len(self._sent("WSI2_CreationEtiquette")), 1, "a fault is not retried")
        shipment.action_retry()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self.mr_server.expeditions), 1)

    def test_bad_credentials(self):
        self.home.omni_mondialrelay_private_key = "WrongKey"
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        self._fails(picking.send_to_shipper)
        shipment = self._shipment(picking)
        self.assertEqual(shipment.error_code, "97")
        self.assertIn("private key", shipment.error_message)
        self.assertNotIn("WrongKey", shipment.exchange_log)

    # Retries ------------------------------------------------------------------------

    def test_rate_limits_are_retried_within_the_call(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        self.mr_server.script(Fail(429, retry_after=0), path="/Web_Services.asmx")
        picking.button_validate()
        self.assertEqual(self._shipment(picking).state, "done")
        self.assertEqual(len(self._sent("WSI2_CreationEtiquette")), 2)
        self.assertEqual(len(self.mr_server.expeditions), 1)

    def test_a_technical_error_is_retried_later_by_the_scheduler(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        self.mr_server.fail_next(99)
        self._fails(picking.send_to_shipper)
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "error_code": "99", "retryable": True}]
        )
        self.env["omni.shipment"]._cron_retry_shipments()
        self.assertRecordValues(shipment, [{"state": "done", "attempt_count": 2}])
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        self.assertEqual(len(self.mr_server.expeditions), 1)

    def test_no_answer_is_never_sent_again_without_a_check(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        self.home.write({"omni_timeout": 0.5})
        # Mondial Relay creates the expedition, but its answer comes too late.
        self.mr_server.script(Hang(1.5, after=True), path="/Web_Services.asmx")
        error = self._fails(picking.send_to_shipper)
        self.assertIn("kept to retry", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(shipment, [{"state": "error", "outcome_unknown": True}])
        self.assertEqual(len(self.mr_server.expeditions), 1)
        # Neither the scheduler nor a plain retry sends it again.
        self.env["omni.shipment"]._cron_retry_shipments()
        error = self._fails(shipment.action_retry)
        self.assertIn("OUTCOME_UNKNOWN", str(error))
        self.assertRecordValues(
            shipment, [{"state": "error", "retryable": False, "outcome_unknown": True}]
        )
        self.assertEqual(len(self._sent("WSI2_CreationEtiquette")), 1)
        self.assertEqual(len(self.mr_server.expeditions), 1)

    def test_an_unreadable_answer_is_never_sent_again_without_a_check(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        # Mondial Relay creates the expedition; its answer is cut short.
        self.mr_server.script(Garble(), path="/Web_Services.asmx")
        error = self._fails(picking.send_to_shipper)
        self.assertIn("kept to retry", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "error_code": "UNREADABLE", "outcome_unknown": True}]
        )
        self.env["omni.shipment"]._cron_retry_shipments()
        error = self._fails(shipment.action_retry)
        self.assertIn("OUTCOME_UNKNOWN", str(error))
        self.assertRecordValues(shipment, [{"state": "error", "outcome_unknown": True}])
        self.assertEqual(len(self._sent("WSI2_CreationEtiquette")), 1)
        self.assertEqual(len(self.mr_server.expeditions), 1)

    def test_a_dropped_request_is_sent_again_once_confirmed(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        self.mr_server.script(Drop(), path="/Web_Services.asmx")
        self._fails(picking.send_to_shipper)
        shipment = self._shipment(picking)
        self.assertTrue(shipment.outcome_unknown)
        self.assertFalse(self.mr_server.expeditions)
        shipment.action_mondialrelay_resend()
        self.assertRecordValues(shipment, [{"state": "done", "attempt_count": 2}])
        self.assertEqual(len(self.mr_server.expeditions), 1)
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        with self.assertRaises(UserError):
            shipment.action_mondialrelay_resend()

    # Tracking, returns, cancellation ---------------------------------------------------

    def test_tracking_update_records_each_event_once(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        picking.button_validate()
        shipment = self._shipment(picking)
        expedition = self.mr_server.expeditions[shipment.tracking_number]
        expedition["created"] -= timedelta(hours=70)
        shipment.action_poll_tracking()
        self.assertEqual(
            shipment.event_ids.sorted("event_date").mapped("stage"),
            ["label_created", "picked_up", "in_transit", "out_for_delivery", "delivered"],
        )
        self.assertEqual(shipment.tracking_stage, "delivered")
        self.assertEqual(picking.omni_tracking_stage, "delivered")
        shipment.action_poll_tracking()
        self.assertEqual(len(shipment.event_ids), 5)
        tracing = self._sent("WSI2_TracingColisDetaille")
        self.assertEqual(tracing[0]["Expedition"], shipment.tracking_number)

    def test_return_label_goes_back_to_the_warehouse(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        picking.button_validate()
        self.assertTrue(self.home.can_generate_return)
        self.home.get_return_label(picking, tracking_number=picking.carrier_tracking_ref)
        back = self._shipment(picking, "return")
        self.assertRecordValues(
            back, [{"state": "done", "original_tracking": picking.carrier_tracking_ref}]
        )
        sent = self._sent("WSI2_CreationEtiquette")[-1]
        self.assertEqual(
            (sent["ModeCol"], sent["ModeLiv"], sent["COL_Rel"]), ("REL", "LCC", "AUTO")
        )
        self.assertEqual(sent["Expe_CP"], "75011")
        self.assertEqual(sent["Dest_CP"], "69800")
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", picking.id),
                ("name", "=", f"LabelReturn-omni_mondialrelay-{back.tracking_number}.pdf"),
            ]
        )
        self.assertTrue(attachment.raw.startswith(b"%PDF"))

    def test_cancel_drops_the_label_so_a_new_one_can_be_made(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        picking.button_validate()
        first = self._shipment(picking)
        picking.cancel_shipment()
        self.assertEqual(first.state, "cancelled")
        self.assertFalse(picking.carrier_tracking_ref)
        picking.send_to_shipper()
        second = self._shipment(picking)
        self.assertNotEqual(second, first)
        self.assertEqual(picking.carrier_tracking_ref, second.tracking_number)
        self.assertEqual(len(self.mr_server.expeditions), 2)

    # Access -------------------------------------------------------------------------

    def test_operators_ship_without_reading_the_private_key(self):
        order = self._order()
        order.set_delivery_line(self.home, 4.9)
        picking = self._ready(order)
        picking.with_user(self.user_operator).button_validate()
        self.assertEqual(self._shipment(picking).state, "done")
        with self.assertRaises(AccessError):
            self.home.with_user(self.user_manager).read(["omni_mondialrelay_private_key"])
