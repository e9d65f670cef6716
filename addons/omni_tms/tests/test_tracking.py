import dataclasses
import json
from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..connector import OmniTestConnector, TrackingEvent
from .common import WEBHOOK_SECRET, TmsCommon
from .fake_servers import OmniTestCarrierServer


def later(hours):
    """(ISO timestamp, naive UTC datetime) ``hours`` from now: after the label event."""
    moment = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ"), moment.replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestTrackingPolling(TmsCommon):
    def _shipped(self, carrier=None):
        picking = self._delivery(carrier or self.standard)
        picking.button_validate()
        return picking, picking.omni_shipment_ids

    def _mails(self, picking):
        """Tracking notifications emailed to the customer from ``picking``."""
        return picking.message_ids.filtered(
            lambda message: (
                message.subtype_id == self.env.ref("mail.mt_comment")
                and self.customer_fr in message.notification_ids.res_partner_id
            )
        )

    def test_polling_records_normalised_events_and_the_delivery_date(self):
        picking, shipment = self._shipped()
        number = shipment.tracking_number
        delivered, delivered_utc = later(20)
        self.server.add_event(number, "PU", "Picked up", later(2)[0], "Saint-Priest")
        self.server.add_event(number, "IT", "Hub", later(10)[0], "Paris hub")
        self.server.add_event(number, "DL", "Delivered", delivered.replace("Z", "+00:00"))
        polled, remaining = self.env["omni.shipment"]._omni_poll_tracking()
        self.assertEqual((polled, remaining), (1, 0))
        self.assertEqual(
            shipment.event_ids.sorted("event_date").mapped("stage"),
            ["label_created", "picked_up", "in_transit", "delivered"],
        )
        self.assertEqual(set(shipment.event_ids.mapped("source")), {"poll"})
        self.assertEqual(shipment.tracking_stage, "delivered")
        self.assertEqual(picking.omni_delivered_date, delivered_utc)
        self.assertEqual(picking.omni_tracking_stage, "delivered")
        self.assertEqual(len(picking.omni_tracking_event_ids), 4)

    def test_polling_goes_by_batches_one_call_per_carrier(self):
        shipments = self.env["omni.shipment"]
        for carrier in (self.standard, self.standard, self.eco):
            shipments |= self._shipped(carrier)[1]
        self.server.reset()
        polled, remaining = self.env["omni.shipment"]._omni_poll_tracking(batch_size=2)
        self.assertEqual((polled, remaining), (2, 1))
        polled, remaining = self.env["omni.shipment"]._omni_poll_tracking(batch_size=2)
        self.assertEqual((polled, remaining), (1, 0))
        self.assertEqual(self.env["omni.shipment"]._omni_poll_tracking(batch_size=2), (0, 0))
        calls = self.server.requests_to("/v1/tracking")
        self.assertEqual(len(calls), 2, "one call per carrier and batch")
        self.assertEqual(sorted(len(call.json()["tracking_numbers"]) for call in calls), [1, 2])

    def test_an_event_is_recorded_once(self):
        _picking, shipment = self._shipped()
        self.server.add_event(shipment.tracking_number, "IT", "Hub")
        shipment.action_poll_tracking()
        shipment.action_poll_tracking()
        self.assertEqual(len(shipment.event_ids), 2)

    def test_events_that_cannot_be_recorded_are_named(self):
        valid = TrackingEvent(
            uid="evt-ok", tracking_number="TN1", stage="delivered", date=later(1)[1]
        )
        Event = self.env["omni.tracking.event"]
        Event._omni_check_events([valid])
        for wrong, message in [
            ({"tracking_number": ["TN1"]}, r"tracking_number must be a text .* not \['TN1'\]"),
            ({"tracking_number": 12345}, "tracking_number must be a text that is not empty"),
            ({"uid": " "}, "uid must be a text that is not empty, not ' '"),
            ({"uid": "e" * 300}, "uid is 300 characters long; at most 255"),
            ({"uid": "evt\x00nul"}, "uid contains a NUL character"),
            ({"description": ["not", "text"]}, "description must be a text"),
            ({"location": "Hub\x00"}, "location contains a NUL character"),
            ({"date": "2026-01-01"}, "date must be a datetime in UTC without time zone"),
            ({"date": datetime.now(timezone.utc)}, "date must be a datetime in UTC"),
        ]:
            with self.assertRaisesRegex(ValidationError, f"Tracking event 2: {message}"):
                Event._omni_check_events([valid, dataclasses.replace(valid, **wrong)])
        with self.assertRaisesRegex(ValidationError, "'evt' is not a tracking event"):
            Event._omni_check_events(["evt"])

    def test_a_delivery_delivered_but_not_validated_asks_for_validation(self):
        picking = self._delivery(self.standard).with_user(self.user_operator)
        picking.action_omni_create_label()
        shipment = picking.omni_shipment_ids
        self.server.add_event(shipment.tracking_number, "DL", "Delivered", later(5)[0])
        shipment.action_poll_tracking()
        self.assertEqual(picking.state, "assigned")
        activity = picking.activity_ids
        self.assertEqual(activity.summary, "Delivered by the carrier: validate the transfer")
        self.assertEqual(activity.user_id, self.user_operator)
        self.assertIn(shipment.tracking_number, activity.note)
        self.server.add_event(shipment.tracking_number, "DL", "Delivered again", later(6)[0])
        shipment.action_poll_tracking()
        self.assertEqual(len(picking.activity_ids), 1, "asked once")

    def test_a_validated_delivery_raises_no_alert(self):
        picking, shipment = self._shipped()
        self.server.add_event(shipment.tracking_number, "DL", "Delivered", later(5)[0])
        shipment.action_poll_tracking()
        self.assertEqual(shipment.tracking_stage, "delivered")
        self.assertFalse(picking.activity_ids)

    def test_customers_are_notified_once_per_stage(self):
        picking, shipment = self._shipped()
        number = shipment.tracking_number
        self.server.add_event(number, "OD", "Out for delivery", later(5)[0])
        shipment.action_poll_tracking()
        notified = shipment.notification_ids
        self.assertEqual(notified.mapped("stage"), ["out_for_delivery"])
        self.assertEqual(notified.channels, "mail")
        mails = self._mails(picking)
        self.assertEqual(len(mails), 1)
        self.assertIn("out for delivery", mails.body)
        self.assertIn(picking.carrier_tracking_url, mails.body)
        self.assertEqual(mails.notification_ids.notification_type, "email")

        self.server.add_event(number, "OD", "Second attempt", later(29)[0])
        shipment.action_poll_tracking()
        self.assertEqual(len(self._mails(picking)), 1, "same stage, no second mail")
        self.server.add_event(number, "DL", "Delivered", later(32)[0])
        shipment.action_poll_tracking()
        self.assertEqual(
            sorted(shipment.notification_ids.mapped("stage")), ["delivered", "out_for_delivery"]
        )
        self.assertEqual(len(self._mails(picking)), 2)

    def test_text_messages_where_odoo_sends_them(self):
        self.customer_fr.phone = "+33 6 12 34 56 78"
        self.env.ref("omni_tms.omni_tracking_notification_delivered").send_sms = True
        picking, shipment = self._shipped()
        self.server.add_event(shipment.tracking_number, "DL", "Delivered", later(8)[0])
        shipment.action_poll_tracking()
        self.assertEqual(shipment.notification_ids.channels, "mail,sms")
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer_fr.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn("your parcel was delivered", sms.body)
        self.assertIn(picking.carrier_tracking_url, sms.body)
        self.assertEqual(sms.state, "outgoing", "queued for Odoo's SMS scheduler")

    def test_stages_without_active_notification_send_nothing(self):
        picking, shipment = self._shipped()
        shipment.action_poll_tracking()
        self.assertEqual(shipment.tracking_stage, "label_created")
        self.assertFalse(shipment.notification_ids)
        self.assertFalse(self._mails(picking))

    def test_notification_per_company_overrides_the_shared_one(self):
        picking, shipment = self._shipped()
        shared = self.env.ref("omni_tms.omni_tracking_notification_in_transit")
        self.env["omni.tracking.notification"].create(
            {
                "name": "Quiet transit",
                "stage": "in_transit",
                "company_id": self.company.id,
                "mail_template_id": False,
            }
        )
        configs = self.env["omni.tracking.notification"]._omni_configs(self.company)
        self.assertEqual(configs[(self.company.id, "in_transit")].name, "Quiet transit")
        self.assertEqual(
            configs[(self.company.id, "delivered")],
            self.env.ref("omni_tms.omni_tracking_notification_delivered"),
        )
        self.assertTrue(shared.active)
        self.server.add_event(shipment.tracking_number, "IT", "Hub")
        shipment.action_poll_tracking()
        self.assertTrue(shipment.notification_ids)
        self.assertFalse(shipment.notification_ids.channels)
        self.assertFalse(self._mails(picking))


@tagged("post_install", "-at_install")
class TestTrackingWebhook(HttpCase, TmsCommon):
    def setUp(self):
        super().setUp()
        self.picking = self._delivery(self.standard)
        self.picking.button_validate()
        self.shipment = self.picking.omni_shipment_ids
        self.url = f"/omni_tms/webhook/{self.standard.id}"

    def _body(self, *events):
        return json.dumps(
            {
                "tracking_number": self.shipment.tracking_number,
                "events": [
                    {"id": uid, "code": code, "timestamp": later(3)[0]} for uid, code in events
                ],
            }
        ).encode()

    def _post(self, body, signature=None):
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Omni-Signature"] = signature
        return self.url_open(self.url, data=body, headers=headers)

    def test_a_signed_webhook_records_events(self):
        body = self._body(("evt-1", "OD"))
        response = self._post(body, OmniTestCarrierServer.sign(WEBHOOK_SECRET, body))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"created": 1, "duplicates": 0, "unknown": 0})
        self.assertRecordValues(
            self.shipment.event_ids,
            [{"uid": "evt-1", "stage": "out_for_delivery", "source": "webhook"}],
        )
        self.assertEqual(self.picking.omni_tracking_stage, "out_for_delivery")

    def test_invalid_or_missing_signatures_are_refused(self):
        body = self._body(("evt-2", "DL"))
        forged = OmniTestCarrierServer.sign("not-the-secret", body)
        with self.assertLogs("odoo.addons.omni_tms.controllers.webhook", "WARNING"):
            self.assertEqual(self._post(body, forged).status_code, 403)
            self.assertEqual(self._post(body).status_code, 403)
            self.assertEqual(self._post(body, "").status_code, 403)
            tampered = body.replace(b"DL", b"RS")
            signed = OmniTestCarrierServer.sign(WEBHOOK_SECRET, body)
            self.assertEqual(self._post(tampered, signed).status_code, 403)
        self.assertFalse(self.shipment.event_ids.filtered(lambda e: e.uid == "evt-2"))

    def test_a_carrier_without_secret_refuses_every_webhook(self):
        self.standard.omni_webhook_secret = False
        body = self._body(("evt-3", "DL"))
        with self.assertLogs("odoo.addons.omni_tms.controllers.webhook", "WARNING"):
            response = self._post(body, OmniTestCarrierServer.sign("", body))
        self.assertEqual(response.status_code, 403)

    def test_a_replayed_webhook_is_recorded_once(self):
        body = self._body(("evt-4", "DL"))
        signature = OmniTestCarrierServer.sign(WEBHOOK_SECRET, body)
        self.assertEqual(self._post(body, signature).json()["created"], 1)
        replay = self._post(body, signature)
        self.assertEqual(replay.status_code, 200)
        self.assertEqual(replay.json(), {"created": 0, "duplicates": 1, "unknown": 0})
        self.assertEqual(len(self.shipment.event_ids.filtered(lambda e: e.uid == "evt-4")), 1)
        self.assertEqual(len(self.shipment.notification_ids), 1)

    def test_malformed_signed_bodies_are_refused_with_a_message(self):
        number = self.shipment.tracking_number
        stamp = later(3)[0]

        def event(**values):
            return {"id": "evt-bad", "code": "DL", "timestamp": stamp, **values}

        bodies = [
            {"tracking_number": number, "events": [event(id="evt\x00bad")]},
            {"tracking_number": number, "events": [event(id="e" * 300)]},
            {"tracking_number": number, "events": [event(timestamp=1767225600)]},
            {"tracking_number": number, "events": [event(timestamp="9999-12-31T23:59:59-05:00")]},
            {"tracking_number": number, "events": "DL"},
            {"tracking_number": number, "events": [["DL"]]},
            [number],
        ]
        for data in bodies:
            body = json.dumps(data).encode()
            with mute_logger("odoo.addons.omni_tms.controllers.webhook"):
                response = self._post(body, OmniTestCarrierServer.sign(WEBHOOK_SECRET, body))
            self.assertEqual(response.status_code, 400, data)
            self.assertTrue(response.json()["error"], data)
            self.assertLess(len(response.json()["error"]), 400, "no value is echoed whole")
        self.assertFalse(self.shipment.event_ids.filtered(lambda e: e.uid.startswith("evt")))

    def test_a_connector_failing_on_a_body_is_logged_and_refused(self):
        body = self._body(("evt-5", "DL"))
        signature = OmniTestCarrierServer.sign(WEBHOOK_SECRET, body)
        with (
            patch.object(OmniTestConnector, "parse_webhook", side_effect=RuntimeError("bug")),
            self.assertLogs("odoo.addons.omni_tms.controllers.webhook", "ERROR") as logs,
        ):
            response = self._post(body, signature)
        self.assertEqual(response.status_code, 400)
        self.assertIn("could not be read as tracking events (RuntimeError)", response.text)
        self.assertIn("RuntimeError: bug", logs.output[0], "logged with its traceback")
        self.assertFalse(self.shipment.event_ids.filtered(lambda e: e.uid == "evt-5"))

    def test_unknown_carrier(self):
        response = self.url_open("/omni_tms/webhook/999999", data=b"{}")
        self.assertEqual(response.status_code, 404)
