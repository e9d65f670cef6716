from ast import literal_eval

from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestShippingDemoGenerator(BaseCommon):
    """Shipments, labels, tracking events, a failed shipment, a held order and a
    warehouse operator, written as data (the fake carrier servers are not running
    here: a carrier call would fail)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dataset = cls.env["omni.demo.generator"]._generate(
            stores=2, products=12, customers=6, orders=2, prefix="TSHP", seed=11
        )
        cls.shipments = cls.dataset["shipments"]
        cls.failed = cls.dataset["failed_shipments"]

    def test_a_delivered_parcel_per_carrier(self):
        delivered = self.shipments.filtered(lambda s: s.tracking_stage == "delivered")
        self.assertEqual(delivered.carrier_id, self._all_carriers())
        for shipment in delivered:
            picking = shipment.picking_id
            self.assertEqual(shipment.state, "done")
            self.assertEqual(picking.state, "done")
            self.assertEqual(picking.carrier_id, shipment.carrier_id)
            self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
            self.assertEqual(picking.omni_tracking_stage, "delivered")
            self.assertTrue(shipment.delivered_date)
            self.assertEqual(picking.omni_delivered_date, shipment.delivered_date)
            self.assertLessEqual(picking.date_done, shipment.delivered_date)

    def _all_carriers(self):
        carriers = self.dataset["carriers_by_key"].values()
        return self.env["delivery.carrier"].union(*carriers)

    def test_labels_are_pdf_attachments_of_the_delivery(self):
        self.assertEqual(len(self.shipments), len(self._all_carriers()) + 3)
        for shipment in self.shipments:
            label = shipment.label_attachment_id
            self.assertTrue(label.raw.startswith(b"%PDF"), shipment.name)
            self.assertEqual(
                (label.res_model, label.res_id), ("stock.picking", shipment.picking_id.id)
            )
            self.assertIn(shipment.tracking_number, label.name)
        self.assertEqual(
            self.shipments.picking_id._omni_label_attachments(),
            self.shipments.label_attachment_id,
        )

    def test_tracking_events_tell_the_journey(self):
        for shipment in self.shipments:
            events = shipment.event_ids.sorted("event_date")
            self.assertEqual(events[0].stage, "label_created", shipment.name)
            self.assertEqual(events[-1].stage, shipment.tracking_stage, shipment.name)
            self.assertEqual(events.picking_id, shipment.picking_id)
            self.assertTrue(all(event.description and event.location for event in events))
            dates = events.mapped("event_date")
            self.assertEqual(len(set(dates)), len(dates), "one event at a time")
        on_the_way = self.shipments.filtered(lambda s: s.tracking_stage != "delivered")
        self.assertEqual(
            set(on_the_way.mapped("tracking_stage")),
            {"picked_up", "in_transit", "out_for_delivery"},
        )
        self.assertTrue(all(on_the_way.picking_id.mapped(lambda p: p.state == "done")))
        # each carrier speaks its own codes
        chronopost = self.dataset["carriers_by_key"]["chronopost_13"]
        codes = self.shipments.filtered(lambda s: s.carrier_id == chronopost).event_ids
        self.assertEqual(set(codes.mapped("code")), {"DC", "PC", "TS", "MD", "D"})

    def test_a_failed_shipment_waits_for_a_retry(self):
        self.assertEqual(len(self.failed), 1)
        failed = self.failed
        self.assertEqual(failed.state, "error")
        self.assertTrue(failed.retryable)
        self.assertIn("try again later", failed.error_message)
        self.assertFalse(failed.label_attachment_id)
        self.assertEqual(failed.picking_id.state, "assigned", "nothing left the warehouse")
        self.assertEqual(failed.picking_id.carrier_id, failed.carrier_id)
        tile = self.env.ref("omni_tms.omni_dashboard_tile_failed_shipments")
        self.assertIn(
            failed, self.env["omni.shipment"].search(tile._records_domain()), "on Omni's overview"
        )

    def test_no_carrier_was_called(self):
        self.assertFalse(any((self.shipments | self.failed).mapped("exchange_log")))
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "in", self.shipments.picking_id.ids),
                    ("id", "not in", self.shipments.label_attachment_id.ids),
                ]
            )
        )

    def test_an_order_held_by_routing(self):
        held = self.dataset["held_orders"]
        self.assertEqual(len(held), 1)
        self.assertEqual(held.state, "sale")
        self.assertEqual(held.omni_routing_state, "held")
        self.assertTrue(held.omni_hold_reason)
        self.assertEqual(held.team_id.omni_channel_type, "web")
        self.assertFalse(held.picking_ids, "nothing sent to a warehouse")
        action = self.env.ref("omni_oms.sale_order_action_omni_held")
        self.assertIn(held, self.env["sale.order"].search(literal_eval(action.domain)))

    def test_a_warehouse_operator(self):
        operator = self.dataset["warehouse_operators"]
        self.assertEqual(
            operator.login, f"tshp-{self.dataset['distribution_centers'][0].code}-operator".lower()
        )
        self.assertTrue(operator.has_group("omni_base.group_omni_warehouse_operator"))
        self.assertFalse(operator.has_group("omni_base.group_omni_manager"))
        self.assertEqual(
            operator.action_id.id, self.env.ref("omni_base.omni_dashboard_tile_action").id
        )
        operator.with_user(operator)._check_credentials(
            {"login": operator.login, "password": operator.login, "type": "password"},
            {"interactive": False},
        )
        tile = self.env.ref("omni_tms.omni_dashboard_tile_failed_shipments")
        self.assertGreaterEqual(tile.with_user(operator).count, 1, "the operator sees the failures")

    def test_external_ids(self):
        names = self.env["omni.demo.generator"]._demo_external_ids(self.dataset)
        self.assertEqual(names["demo_shipment_1"], self.shipments[0])
        self.assertEqual(names["demo_shipment_failed_1"], self.failed)
        self.assertEqual(names["demo_held_order_1"], self.dataset["held_orders"])
        self.assertEqual(names["demo_warehouse_operator_1"], self.dataset["warehouse_operators"])
