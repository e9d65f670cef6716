from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TmsCommon


@tagged("post_install", "-at_install")
class TestTmsSecurity(TmsCommon):
    def test_store_staff_and_operators_ship_but_do_not_configure_rules(self):
        rule = self._rule(self.standard)
        for user in (self.user_store_staff, self.user_operator):
            picking = self._delivery(self.standard).with_user(user)
            picking.action_omni_create_label()
            self.assertTrue(picking.carrier_tracking_ref, user.login)
            self.assertEqual(picking.omni_shipment_ids.state, "done")
            self.assertTrue(rule.with_user(user).name)
            with self.assertRaises(AccessError):
                self.env["omni.carrier.rule"].with_user(user).create(
                    {"name": "Mine", "action": "carrier", "carrier_id": self.eco.id}
                )
            with self.assertRaises(AccessError):
                rule.with_user(user).write({"sequence": 1})

    def test_store_staff_reselect_the_carrier_of_a_delivery(self):
        self._rule(self.eco | self.standard, policy="cheapest")
        picking = self._delivery(self.express).with_user(self.user_store_staff)
        picking.action_omni_choose_carrier()
        self.assertEqual(picking.carrier_id, self.eco)
        self.assertEqual(len(picking.omni_carrier_quote_ids), 2)

    def test_managers_configure_rules_and_notifications(self):
        rule = (
            self.env["omni.carrier.rule"]
            .with_user(self.user_manager)
            .create(
                {
                    "name": "Managed",
                    "action": "rate_shopping",
                    "candidate_carrier_ids": [Command.set((self.eco | self.standard).ids)],
                }
            )
        )
        rule.sequence = 3
        notification = self.env.ref("omni_tms.omni_tracking_notification_delivered")
        notification.with_user(self.user_manager).send_sms = True
        rule.unlink()

    def test_people_outside_omni_see_no_shipment(self):
        picking = self._delivery(self.standard)
        picking.button_validate()
        shipment = picking.omni_shipment_ids
        with self.assertRaises(AccessError):
            shipment.with_user(self.user_internal).read(["tracking_number"])
        with self.assertRaises(AccessError):
            self.env["omni.carrier.rule"].with_user(self.user_internal).search([])

    def test_secrets_are_for_administrators(self):
        carrier = self.standard.with_user(self.user_manager)
        self.assertTrue(carrier.read(["name", "omni_test_account"]))
        for secret in ("omni_test_api_key", "omni_webhook_secret"):
            with self.assertRaises(AccessError):
                carrier.read([secret])

    def test_records_of_other_companies_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other company"})
        picking = self._delivery(self.standard)
        picking.button_validate()
        rule = self._rule(self.standard)
        user = new_test_user(
            self.env,
            login="omni_other_manager",
            groups="omni_base.group_omni_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(self.env["omni.shipment"].with_user(user).search([]))
        self.assertFalse(
            self.env["omni.carrier.rule"].with_user(user).search([("id", "=", rule.id)])
        )
        self.assertFalse(self.env["omni.tracking.event"].with_user(user).search([]))
        self.assertTrue(
            self.env["omni.shipment"]
            .with_user(self.user_manager)
            .search([("id", "in", picking.omni_shipment_ids.ids)])
        )

    def test_standard_users_read_what_omni_tms_adds(self):
        self._rule(self.eco | self.standard, policy="cheapest")
        order = self._order()
        order.action_omni_choose_carrier()
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertTrue(picking.omni_shipment_ids and order.omni_carrier_quote_ids)
        self.assert_standard_users_read(
            "omni_tms", [order, picking, self.standard, self.env.company]
        )

    def test_tracking_events_are_records_nobody_edits(self):
        picking = self._delivery(self.standard)
        picking.button_validate()
        shipment = picking.omni_shipment_ids
        self.server.add_event(shipment.tracking_number, "PU", "Picked up")
        shipment.action_poll_tracking()
        event = shipment.event_ids[:1]
        self.assertTrue(event)
        for user in (self.user_manager, self.user_operator):
            Event = self.env["omni.tracking.event"].with_user(user)
            self.assertTrue(Event.search([("id", "=", event.id)]))
            with self.assertRaises(AccessError):
                event.with_user(user).write({"description": "edited"})
            with self.assertRaises(AccessError):
                event.with_user(user).unlink()
            with self.assertRaises(AccessError):
                Event.create({**event.copy_data()[0], "uid": "made-up"})
