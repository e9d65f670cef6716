import json
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.omni_tms.tests.common import TmsCommon
from odoo.addons.omni_tms.tests.fake_servers import Fail, Garble, Hang

from .fake_servers import ChronopostServer

ACCOUNT, PASSWORD = "19869502", "255562"


@tagged("post_install", "-at_install")
class TestChronopost(TmsCommon):
    """Chronopost through Odoo's flows against its fake web services."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chrono_server = ChronopostServer(accounts={ACCOUNT: PASSWORD})
        cls.chrono_server.start()
        cls.addClassCleanup(cls.chrono_server.stop)
        cls.chrono13 = cls._chronopost("Chronopost 13", "01")
        cls.relay = cls._chronopost("Chronopost Relais", "86")

    def setUp(self):
        super().setUp()
        self.chrono_server.reset()

    @classmethod
    def _chronopost(cls, name, product_code, **vals):
        return cls.env["delivery.carrier"].create(
            {
                "name": name,
                "delivery_type": "omni_chronopost",
                "product_id": cls.shipping_product.id,
                "omni_chronopost_account": ACCOUNT,
                "omni_chronopost_password": PASSWORD,
                "omni_chronopost_url": cls.chrono_server.url,
                "omni_chronopost_prod_url": f"{cls.chrono_server.url}/live",
                "omni_chronopost_product_code": product_code,
                "omni_timeout": 2.0,
                "omni_max_retries": 2,
                **vals,
            }
        )

    def _shipment(self, picking, kind="outbound"):
        return self.env["omni.shipment"].search(
            [("picking_id", "=", picking.id), ("kind", "=", kind)], order="id desc", limit=1
        )

    def _sent(self, operation):
        """The operation elements of the SOAP requests received for ``operation``."""
        sent = []
        for request in self.chrono_server.requests:
            if request.method != "POST":
                continue
            element = etree.fromstring(request.body).xpath("//*[local-name()='Body']/*")[0]
            if etree.QName(element).localname == operation:
                sent.append(element)
        return sent

    @staticmethod
    def _text(element, name):
        found = element.xpath(f".//*[local-name()='{name}']")
        return found[0].text if found else None

    # Rates ------------------------------------------------------------------------

    def test_rate_on_a_sale_order_comes_from_quick_cost(self):
        order = self._order(qty=3)  # 6 kg
        wizard = Form(
            self.env["choose.delivery.carrier"].with_context(
                default_order_id=order.id, default_carrier_id=self.chrono13.id
            )
        ).save()
        wizard.update_price()
        # Chronopost prices in EUR, converted to the order's currency.
        expected = self.env.ref("base.EUR")._convert(
            13.9 + 0.9 * 5, order.currency_id, order.company_id, fields.Date.today()
        )
        self.assertAlmostEqual(wizard.delivery_price, expected, places=2)
        wizard.button_confirm()
        delivery_line = order.order_line.filtered("is_delivery")
        self.assertAlmostEqual(delivery_line.price_unit, expected, places=2)
        sent = self._sent("quickCost")[0]
        self.assertEqual(
            [self._text(sent, name) for name in ("depCode", "arrCode", "weight", "productCode")],
            ["69800", "75011", "6", "01"],
        )

    def test_rate_error_names_the_code_and_what_to_fix(self):
        order = self._order(product=self.heavy_product, qty=3)  # 36 kg
        rate = self.chrono13.rate_shipment(order)
        self.assertFalse(rate["success"])
        self.assertIn("error 3", rate["error_message"])
        self.assertIn("check the postcodes, the weight", rate["error_message"])

    # Labels -------------------------------------------------------------------------

    def test_label_on_validation_with_its_skybill(self):
        picking = self._delivery(self.chrono13)
        picking.button_validate()
        shipment = self._shipment(picking)
        self.assertEqual(shipment.state, "done")
        self.assertRegex(shipment.tracking_number, r"^XP\d{9}FR$")
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        self.assertIn(shipment.carrier_reference, self.chrono_server.reservations)
        created = self.chrono_server.skybills[shipment.tracking_number]
        self.assertEqual(created["reference"], shipment.name, "our reference is the shipperRef")
        self.assertEqual(created["recipient"]["recipientZipCode"], "75011")
        label = picking._omni_label_attachments()
        self.assertEqual(
            label.name, f"LabelShipping-omni_chronopost-{shipment.tracking_number}.pdf"
        )
        self.assertTrue(label.raw.startswith(b"%PDF"))
        self.assertIn("listeNumerosLT=" + shipment.tracking_number, picking.carrier_tracking_url)
        mode = self._text(self._sent("getReservedSkybillWithTypeAndMode")[0], "mode")
        self.assertEqual(mode, "PDF")
        sent = self._sent("shippingMultiParcelV4")[0]
        self.assertEqual(self._text(sent, "recipientCountryName"), "FRANCE")
        self.assertEqual(self._text(sent, "recipientType"), "1")
        self.assertIn(self._text(sent, "shipperCivility"), ("E", "L", "M"))

    def test_zpl_labels_for_thermal_printers(self):
        self.chrono13.omni_label_format = "zpl"
        picking = self._delivery(self.chrono13)
        picking.button_validate()
        shipment = self._shipment(picking)
        self.assertEqual(shipment.label_format, "zpl")
        label = picking._omni_label_attachments()
        self.assertTrue(label.name.endswith(".zpl"))
        self.assertTrue(label.raw.startswith(b"^XA"))
        self.assertIn(shipment.tracking_number.encode(), label.raw)

    def test_production_endpoint(self):
        self.chrono13.prod_environment = True
        picking = self._delivery(self.chrono13)
        self._fails(picking.send_to_shipper)
        self.assertEqual(
            self.chrono_server.requests[0].path, "/live/shipping-cxf/ShippingServiceWS"
        )

    def test_a_refusal_names_the_code_and_the_fix_on_the_shipment(self):
        customer = self._customer("Jean Dupont", "1 Rue de la Paix", "00100", "Paris", "fr")
        picking = self._delivery(self.chrono13, partner=customer)
        error = self._fails(picking.send_to_shipper)
        self.assertIsInstance(error, UserError)
        self.assertIn("error 38", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "error_code": "38", "retryable": False}]
        )
        self.assertIn("check the postcode", shipment.error_message)
        self.assertIn("shippingMultiParcelV4", shipment.exchange_log)
        self.assertFalse(self.chrono_server.skybills)
        # Fixed, the same shipment goes through.
        customer.zip = "75001"
        shipment.action_retry()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self.chrono_server.skybills), 1)

    def test_bad_credentials_are_named_and_never_logged(self):
        self.chrono13.omni_chronopost_password = "WrongPass1"
        picking = self._delivery(self.chrono13)
        self._fails(picking.send_to_shipper)
        shipment = self._shipment(picking)
        self.assertEqual(shipment.error_code, "30")
        self.assertIn("account number or password", shipment.error_message)
        self.assertNotIn("WrongPass1", shipment.exchange_log)

    def test_account_numbers_are_digits(self):
        with self.assertRaises(ValidationError):
            self.chrono13.omni_chronopost_account = "ABC123"

    def test_a_soap_fault_is_kept_on_the_shipment(self):
        picking = self._delivery(self.chrono13)
        self.chrono_server.fail_next("fault")
        error = self._fails(picking.send_to_shipper)
        self.assertIn("Fault occurred while processing", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(shipment, [{"state": "error", "error_code": "soap:Server"}])
        shipment.action_retry()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self.chrono_server.skybills), 1)

    # Retries ------------------------------------------------------------------------

    def test_a_system_error_is_retried_later_by_the_scheduler(self):
        picking = self._delivery(self.chrono13)
        self.chrono_server.fail_next(29)
        self._fails(picking.send_to_shipper)
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "error_code": "29", "retryable": True}]
        )
        self.env["omni.shipment"]._cron_retry_shipments()
        self.assertRecordValues(shipment, [{"state": "done", "attempt_count": 2}])
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        self.assertEqual(len(self.chrono_server.skybills), 1)

    def test_rate_limits_are_retried_within_the_call(self):
        picking = self._delivery(self.chrono13)
        self.chrono_server.script(Fail(429, retry_after=0), path="/shipping-cxf/")
        picking.button_validate()
        self.assertEqual(self._shipment(picking).state, "done")
        self.assertEqual(len(self._sent("shippingMultiParcelV4")), 2)
        self.assertEqual(len(self.chrono_server.skybills), 1)

    def test_a_lost_answer_is_looked_up_by_reference_never_created_twice(self):
        picking = self._delivery(self.chrono13)
        self.chrono13.write({"omni_timeout": 0.5, "omni_max_retries": 0})
        # Chronopost creates the skybill, but its answer comes too late.
        self.chrono_server.script(Hang(1.2, after=True), path="/shipping-cxf/")
        error = self._fails(picking.send_to_shipper)
        self.assertIn("kept to retry", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "retryable": True, "outcome_unknown": True}]
        )
        self.assertEqual(len(self.chrono_server.skybills), 1)
        self.chrono13.omni_timeout = 2.0
        self.env["omni.shipment"]._cron_retry_shipments()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self.chrono_server.skybills), 1, "looked up, not created again")
        self.assertEqual(
            self._text(self._sent("trackWithSenderRef")[0], "sendersRef"), shipment.name
        )
        self.assertEqual(shipment.tracking_number, next(iter(self.chrono_server.skybills)))
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        # The label of a lost reservation is printed from Chronopost's space.
        self.assertFalse(shipment.can_fetch_label)
        self.assertIn("print the label", " ".join(picking.message_ids.mapped("body")))

    def test_a_broken_answer_echoing_the_request_keeps_the_password_out(self):
        picking = self._delivery(self.chrono13)
        self.chrono13.debug_logging = True
        # Chronopost creates the skybill, then answers a broken page quoting the request.
        self.chrono_server.script(
            Garble(lambda request: b"<html><pre>" + request.body), path="/shipping-cxf/"
        )
        error = self._fails(picking.send_to_shipper)
        self.assertIsInstance(error, UserError)
        self.assertNotIn(PASSWORD, str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "error_code": "UNREADABLE", "outcome_unknown": True}]
        )
        self.assertIn("unreadable answer", shipment.error_message)
        for text in (shipment.error_message, shipment.exchange_log):
            self.assertNotIn(PASSWORD, text)
        logged = self.env["ir.logging"].search([("path", "=", "omni_chronopost")])
        self.assertFalse([log for log in logged if PASSWORD in log.message])
        # Looked up by our reference, not created again.
        self.env["omni.shipment"]._cron_retry_shipments()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self._sent("shippingMultiParcelV4")), 1)
        self.assertEqual(shipment.tracking_number, next(iter(self.chrono_server.skybills)))

    def test_a_label_lost_after_creation_is_downloaded_again(self):
        picking = self._delivery(self.chrono13)
        # The skybill is created, every download of its label fails.
        self.chrono_server.script(None, Fail(503), Fail(503), Fail(503), path="/shipping-cxf/")
        with self.assertLogs("odoo.addons.omni_tms.carrier.omni_chronopost", "WARNING"):
            picking.button_validate()
        shipment = self._shipment(picking)
        self.assertRecordValues(shipment, [{"state": "done", "label": False}])
        self.assertIn("Download Label", " ".join(picking.message_ids.mapped("body")))
        self.assertTrue(shipment.can_fetch_label)
        shipment.action_fetch_label()
        self.assertTrue(shipment.label)
        self.assertTrue(picking._omni_label_attachments().raw.startswith(b"%PDF"))
        self.assertEqual(len(self.chrono_server.skybills), 1)
        with self.assertRaises(UserError):
            shipment.action_fetch_label()

    # Tracking, returns, cancellation ---------------------------------------------------

    def test_tracking_update_records_each_event_once(self):
        picking = self._delivery(self.chrono13)
        picking.button_validate()
        shipment = self._shipment(picking)
        self.chrono_server.skybills[shipment.tracking_number]["created"] -= timedelta(hours=40)
        shipment.action_poll_tracking()
        self.assertEqual(
            shipment.event_ids.sorted("event_date").mapped("stage"),
            ["label_created", "picked_up", "in_transit", "out_for_delivery", "delivered"],
        )
        self.assertEqual(picking.omni_tracking_stage, "delivered")
        shipment.action_poll_tracking()
        self.assertEqual(len(shipment.event_ids), 5)

    def test_return_label_goes_back_to_the_warehouse(self):
        picking = self._delivery(self.chrono13)
        picking.button_validate()
        self.assertTrue(self.chrono13.can_generate_return)
        self.chrono13.get_return_label(picking, tracking_number=picking.carrier_tracking_ref)
        back = self._shipment(picking, "return")
        self.assertEqual(back.state, "done")
        sent = self._sent("shippingMultiParcelV4")[-1]
        self.assertEqual(self._text(sent, "shipperZipCode"), "75011")
        self.assertEqual(self._text(sent, "recipientZipCode"), "69800")
        self.assertEqual(self._text(sent, "customerZipCode"), "69800", "paid by the merchant")
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", picking.id),
                ("name", "=", f"LabelReturn-omni_chronopost-{back.tracking_number}.pdf"),
            ]
        )
        self.assertTrue(attachment.raw.startswith(b"%PDF"))

    def test_cancel_at_chronopost(self):
        picking = self._delivery(self.chrono13)
        picking.button_validate()
        shipment = self._shipment(picking)
        picking.cancel_shipment()
        self.assertEqual(shipment.state, "cancelled")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertNotIn(shipment.tracking_number, self.chrono_server.skybills)

    def test_cancel_after_pickup_is_a_clear_error(self):
        picking = self._delivery(self.chrono13)
        picking.button_validate()
        shipment = self._shipment(picking)
        self.chrono_server.skybills[shipment.tracking_number]["created"] -= timedelta(hours=20)
        with self.assertRaisesRegex(UserError, "already handed over"):
            picking.cancel_shipment()
        self.assertEqual(shipment.state, "done")

    # Relay points -------------------------------------------------------------------

    def test_relay_points_feed_the_pickup_location_flow_and_the_label(self):
        self.assertTrue(self.relay.omni_chronopost_use_locations)
        self.assertFalse(self.chrono13.omni_chronopost_use_locations)
        order = self._order()
        order.set_delivery_line(self.relay, 6.9)
        location = order._get_pickup_locations()["pickup_locations"][0]
        search = self._sent("recherchePointChronopostInter")[0]
        self.assertEqual(
            [self._text(search, name) for name in ("zipCode", "countryCode", "productCode")],
            ["75011", "FR", "86"],
        )
        self.assertEqual(location["opening_hours"]["0"], ["09:00 - 12:30", "14:00 - 19:00"])
        self.assertEqual(location["opening_hours"]["6"], [])
        order._set_pickup_location(json.dumps(location))
        picking = self._ready(order)
        picking.button_validate()
        sent = self._sent("shippingMultiParcelV4")[0]
        self.assertEqual(self._text(sent, "idRelais"), location["id"])
        self.assertEqual(self._text(sent, "productCode"), "86")
        # The parcel is handed over to the customer named on the label.
        self.assertEqual(self._text(sent, "recipientName"), "Camille Martin")
        self.assertEqual(self._text(sent, "recipientZipCode"), location["zip_code"])
        self.assertEqual(self._shipment(picking).state, "done")

    def test_relay_point_search_errors_are_shown_to_the_customer(self):
        order = self._order()
        order.set_delivery_line(self.relay, 6.9)
        result = order._get_pickup_locations("6900", self.env.ref("base.fr"))
        self.assertIn("error 5", result["error"])
        self.assertIn("postcode", result["error"])

    def test_a_relay_delivery_needs_its_relay_point(self):
        picking = self._delivery(self.relay)
        with self.assertRaisesRegex(UserError, "choose the relay point"):
            picking.send_to_shipper()
        self.assertFalse(self._sent("shippingMultiParcelV4"))

    # Access -------------------------------------------------------------------------

    def test_operators_ship_without_reading_the_password(self):
        picking = self._delivery(self.chrono13)
        picking.with_user(self.user_operator).button_validate()
        self.assertEqual(self._shipment(picking).state, "done")
        with self.assertRaises(AccessError):
            self.chrono13.with_user(self.user_manager).read(["omni_chronopost_password"])
