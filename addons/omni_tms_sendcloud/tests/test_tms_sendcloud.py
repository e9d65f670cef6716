import json

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from odoo.addons.omni_tms.tests.common import TmsCommon
from odoo.addons.omni_tms.tests.fake_servers import Fail, Garble, Hang

from .fake_servers import SendcloudServer

PUBLIC_KEY = "pk_4f1c2a9e"
SECRET_KEY = "sk_8d3b7e61c0"


class SendcloudCommon(TmsCommon):
    """A Sendcloud fake server and a Sendcloud carrier on it (Colissimo 0-2 kg)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sendcloud_server = SendcloudServer(accounts={PUBLIC_KEY: SECRET_KEY})
        cls.sendcloud_server.start()
        cls.addClassCleanup(cls.sendcloud_server.stop)
        url = cls.sendcloud_server.url
        cls.sendcloud = cls.env["delivery.carrier"].create(
            {
                "name": "Sendcloud Colissimo",
                "delivery_type": "omni_sendcloud",
                "product_id": cls.shipping_product.id,
                "omni_sendcloud_public_key": PUBLIC_KEY,
                "omni_sendcloud_secret_key": SECRET_KEY,
                "omni_sendcloud_url": f"{url}/api/v2",
                "omni_sendcloud_service_point_url": f"{url}/servicepoints/api/v2",
                "omni_sendcloud_shipping_method": 1001,
                "omni_timeout": 2.0,
                "omni_max_retries": 2,
            }
        )

    def setUp(self):
        super().setUp()
        self.sendcloud_server.reset()

    def _shipment(self, picking):
        return self.env["omni.shipment"].search([("picking_id", "=", picking.id)])


@tagged("post_install", "-at_install")
class TestSendcloud(SendcloudCommon):
    def test_rate_on_a_sales_order(self):
        order = self._order()
        wizard = Form(
            self.env["choose.delivery.carrier"].with_context(
                default_order_id=order.id, default_carrier_id=self.sendcloud.id
            )
        ).save()
        wizard.update_price()
        # Sendcloud prices in EUR, converted to the order's currency.
        expected = self.env.ref("base.EUR")._convert(
            6.95, order.currency_id, order.company_id, fields.Date.today()
        )
        self.assertAlmostEqual(wizard.delivery_price, expected, places=2)
        wizard.button_confirm()
        self.assertEqual(order.carrier_id, self.sendcloud)
        delivery_line = order.order_line.filtered("is_delivery")
        self.assertAlmostEqual(delivery_line.price_unit, expected, places=2)
        query = self.sendcloud_server.requests_to("/shipping_methods")[-1].query
        self.assertEqual(query["to_country"], "FR")
        self.assertEqual(query["to_postal_code"], "75011")

    def test_rate_error_names_what_to_fix(self):
        self.sendcloud.omni_sendcloud_shipping_method = 1003  # 5-30 kg only
        result = self.sendcloud.rate_shipment(self._order())
        self.assertFalse(result["success"])
        self.assertIn("NO_SHIPPING_METHOD", result["error_message"])
        self.assertIn("2 kg", result["error_message"])

    def test_label_on_validation(self):
        picking = self._delivery(self.sendcloud)
        picking.button_validate()
        shipment = self._shipment(picking)
        self.assertRecordValues(shipment, [{"state": "done", "carrier_reference": "1"}])
        self.assertEqual(picking.carrier_tracking_ref, "3SOMNI000000001")
        (parcel,) = self.sendcloud_server.created
        self.assertEqual(parcel["external_reference"], shipment.name)
        self.assertEqual(parcel["order_number"], picking.name)
        self.assertEqual(parcel["postal_code"], "75011")
        label = picking._omni_label_attachments()
        self.assertEqual(len(label), 1)
        self.assertTrue(label.raw.startswith(b"%PDF"))
        self.assertAlmostEqual(picking.carrier_price, 6.95)
        self.assertIn("3SOMNI000000001", self.sendcloud.get_tracking_link(picking))

    def test_bad_credentials_are_kept_with_a_clear_message(self):
        self.sendcloud.omni_sendcloud_secret_key = "sk_wrong"
        picking = self._delivery(self.sendcloud)
        error = self._fails(picking.button_validate)
        self.assertIsInstance(error, UserError)
        self.assertIn("[401]", str(error))
        self.assertIn("API keys", str(error))
        self.assertRecordValues(
            self._shipment(picking), [{"state": "error", "error_code": "401", "retryable": False}]
        )
        self.assertNotIn("sk_wrong", self._shipment(picking).exchange_log)
        self.assertEqual(self.sendcloud_server.created, [])

    def test_carrier_refusal_is_kept_with_its_code_until_fixed(self):
        picking = self._delivery(self.sendcloud)
        self.customer_fr.zip = "7501"
        error = self._fails(picking.send_to_shipper)
        self.assertIn("400/postal_code", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "error_code": "400/postal_code", "retryable": False}]
        )
        self.customer_fr.zip = "75011"
        picking.button_validate()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self.sendcloud_server.created), 1)

    def test_rate_limits_are_retried_within_the_call(self):
        picking = self._delivery(self.sendcloud)
        self.sendcloud_server.script(Fail(429, retry_after=0), path=r"/parcels$")
        picking.button_validate()
        self.assertEqual(self._shipment(picking).state, "done")
        self.assertEqual(len(self.sendcloud_server.requests_to(r"/parcels$", "POST")), 2)
        self.assertEqual(len(self.sendcloud_server.created), 1)

    def test_outage_on_creation_is_looked_up_then_retried_by_the_cron(self):
        picking = self._delivery(self.sendcloud)
        self.sendcloud_server.script(Fail(503), path=r"/parcels$")
        error = self._fails(picking.send_to_shipper)
        self.assertIn("503", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "retryable": True, "outcome_unknown": True}]
        )
        self.assertEqual(len(self.sendcloud_server.requests_to(r"/parcels$", "POST")), 1)
        self.env["omni.shipment"]._cron_retry_shipments()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self.sendcloud_server.requests_to(r"/parcels$", "GET")), 1)
        self.assertEqual(len(self.sendcloud_server.created), 1)
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)

    def test_an_unreadable_answer_is_looked_up_never_created_twice(self):
        picking = self._delivery(self.sendcloud)
        # Sendcloud creates the parcel; its answer is empty.
        self.sendcloud_server.script(Garble(b""), path=r"/parcels$")
        error = self._fails(picking.send_to_shipper)
        self.assertIn("kept to retry", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "retryable": True, "outcome_unknown": True}]
        )
        self.env["omni.shipment"]._cron_retry_shipments()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self.sendcloud_server.requests_to(r"/parcels$", "POST")), 1)
        self.assertEqual(len(self.sendcloud_server.created), 1, "looked up, not created again")
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        self.assertTrue(picking._omni_label_attachments())

    def test_a_customer_without_e_mail_is_shipped(self):
        self.customer_fr.email = False
        picking = self._delivery(self.sendcloud)
        picking.button_validate()
        self.assertEqual(self._shipment(picking).state, "done")
        sent = self.sendcloud_server.requests_to(r"/parcels$", "POST")[0].json()["parcel"]
        self.assertNotIn("email", sent)

    def test_timeout_then_retry_never_creates_a_second_parcel(self):
        picking = self._delivery(self.sendcloud)
        self.sendcloud.write({"omni_timeout": 0.5, "omni_max_retries": 0})
        self.sendcloud_server.script(Hang(1.2, after=True), path=r"/parcels$")
        error = self._fails(picking.send_to_shipper)
        self.assertIn("kept to retry", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "retryable": True, "outcome_unknown": True}]
        )
        self.assertEqual(len(self.sendcloud_server.created), 1)
        self.sendcloud.omni_timeout = 2.0
        shipment.action_retry()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self.sendcloud_server.created), 1, "looked up, not created again")
        lookup = self.sendcloud_server.requests_to(r"/parcels$", "GET")[0]
        self.assertEqual(lookup.query, {"external_reference": shipment.name})
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(self.sendcloud_server.created), 1)

    def test_cancel(self):
        picking = self._delivery(self.sendcloud)
        picking.button_validate()
        shipment = self._shipment(picking)
        picking.cancel_shipment()
        self.assertEqual(shipment.state, "cancelled")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertEqual(self.sendcloud_server.created[0]["status"]["id"], 2000)

    def test_cancel_refused_is_a_clear_error(self):
        picking = self._delivery(self.sendcloud)
        picking.button_validate()
        self.sendcloud_server.parcels[1]["status"] = {"id": 11, "message": "Delivered"}
        with self.assertRaisesRegex(UserError, "delivered and cannot be cancelled"):
            picking.cancel_shipment()

    def test_return_label(self):
        picking = self._delivery(self.sendcloud)
        picking.button_validate()
        returned = self._return(picking)
        returned.print_return_label()
        shipment = self._shipment(returned)
        self.assertRecordValues(shipment, [{"kind": "return", "state": "done"}])
        parcel = self.sendcloud_server.created[-1]
        self.assertTrue(parcel["is_return"])
        self.assertEqual(parcel["postal_code"], "69800", "back to the warehouse")
        request = self.sendcloud_server.requests_to(r"/parcels$", "POST")[-1].json()["parcel"]
        self.assertEqual(request["from_postal_code"], "75011")
        returned.invalidate_recordset(["return_label_ids"])
        self.assertEqual(returned.return_label_ids.name, shipment.label_filename)

    def test_tracking_poll(self):
        picking = self._delivery(self.sendcloud)
        picking.button_validate()
        shipment = self._shipment(picking)
        self.sendcloud_server.add_status(shipment.tracking_number, "shipment-on-route")
        self.sendcloud_server.add_status(shipment.tracking_number, "delivered", "Delivered")
        shipment.action_poll_tracking()
        self.assertEqual(shipment.tracking_stage, "delivered")
        self.assertEqual(picking.omni_tracking_stage, "delivered")
        self.assertTrue(shipment.delivered_date)
        count = len(shipment.event_ids)
        shipment.action_poll_tracking()
        self.assertEqual(len(shipment.event_ids), count, "events recorded once")

    def test_service_points_feed_the_pickup_location_flow(self):
        self.sendcloud.write(
            {
                "omni_sendcloud_use_locations": True,
                "omni_sendcloud_shipping_method": 2001,
                "omni_sendcloud_service_point_carrier": "mondial_relay",
            }
        )
        order = self._order()
        order.set_delivery_line(self.sendcloud, 4.4)
        locations = order._get_pickup_locations()["pickup_locations"]
        self.assertEqual([point["id"] for point in locations], ["10875349", "10875350"])
        order._set_pickup_location(json.dumps(locations[0]))
        self.assertEqual(order.pickup_location_data["id"], "10875349")
        picking = self._ready(order)
        picking.button_validate()
        parcel = self.sendcloud_server.created[0]
        self.assertEqual(parcel["to_service_point"], 10875349)

    def test_service_points_errors(self):
        self.sendcloud.omni_sendcloud_use_locations = True
        order = self._order()
        order.carrier_id = self.sendcloud
        self.sendcloud.omni_sendcloud_public_key = "pk_unknown"
        self.assertIn("[401]", order._get_pickup_locations()["error"])
        self.customer_fr.zip = False
        self.assertIn("postcode", order._get_pickup_locations()["error"])


@tagged("post_install", "-at_install")
class TestSendcloudAccess(SendcloudCommon):
    def test_store_staff_and_operators_ship_without_reading_the_keys(self):
        for user in (self.user_store_staff, self.user_operator):
            picking = self._delivery(self.sendcloud).with_user(user)
            picking.action_omni_create_label()
            self.assertEqual(picking.omni_shipment_ids.state, "done", user.login)
            with self.assertRaises(AccessError):
                self.sendcloud.with_user(user).read(["omni_sendcloud_secret_key"])
        self.assertEqual(len(self.sendcloud_server.created), 2)

    def test_keys_are_for_administrators(self):
        carrier = self.sendcloud.with_user(self.user_manager)
        self.assertTrue(carrier.read(["name", "omni_sendcloud_shipping_method"]))
        for secret in ("omni_sendcloud_public_key", "omni_sendcloud_secret_key"):
            with self.assertRaises(AccessError):
                carrier.read([secret])

    def test_people_without_access_to_the_carrier_cannot_use_its_keys(self):
        with self.assertRaises(AccessError):
            self.sendcloud.with_user(self.user_internal)._omni_sendcloud_connector()


@tagged("post_install", "-at_install")
class TestSendcloudWebhook(HttpCase, SendcloudCommon):
    def test_signed_webhook_records_the_event_and_bad_signatures_are_refused(self):
        picking = self._delivery(self.sendcloud)
        picking.button_validate()
        shipment = self._shipment(picking)
        body, headers = self.sendcloud_server.webhook(
            shipment.tracking_number, 11, "Delivered", SECRET_KEY
        )
        url = f"/omni_tms/webhook/{self.sendcloud.id}"
        with self.assertLogs("odoo.addons.omni_tms.controllers.webhook", "WARNING"):
            refused = self.url_open(url, data=body, headers={"Sendcloud-Signature": "0" * 64})
        self.assertEqual(refused.status_code, 403)
        response = self.url_open(url, data=body, headers=headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["created"], 1)
        shipment.invalidate_recordset()
        self.assertEqual(shipment.tracking_stage, "delivered")
        replay = self.url_open(url, data=body, headers=headers)
        self.assertEqual(replay.json()["duplicates"], 1)
