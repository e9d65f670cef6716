from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon

from ..models.omni_demo_generator_returns import RETURN_PLAN


@tagged("post_install", "-at_install")
class TestReturnsDemoGenerator(BaseCommon):
    """Returns in every state across web, marketplace and store orders; their labels
    written as data (no carrier server runs here: a carrier call would fail)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dataset = cls.env["omni.demo.generator"]._generate(
            stores=2, products=12, customers=6, orders=2, prefix="TRET", seed=13
        )
        cls.returns = cls.dataset["returns"]

    def by_state(self, state):
        return self.returns.filtered(lambda rma: rma.state == state)

    def test_every_state_across_channels(self):
        self.assertEqual(len(self.returns), len(RETURN_PLAN))
        self.assertEqual(
            [(rma.team_id.omni_channel_type, rma.state) for rma in self.returns],
            list(RETURN_PLAN),
        )
        self.assertEqual(
            set(self.returns.mapped("state")),
            {"requested", "awaiting", "received", "inspected", "refunded", "refused"},
        )

    def test_requested_and_refused(self):
        requested = self.by_state("requested")
        self.assertTrue(requested.needs_approval)
        self.assertTrue(requested.activity_ids, "a manager is asked to approve it")
        self.assertFalse(requested.picking_ids)
        refused = self.by_state("refused")
        self.assertTrue(refused.refusal_reason)
        self.assertFalse(refused.picking_ids.filtered(lambda p: p.state != "cancel"))

    def test_label_returns_carry_their_label_and_tracking(self):
        labelled = self.returns.filtered(
            lambda rma: rma.return_method == "label" and rma.state not in ("requested", "refused")
        )
        self.assertEqual(len(labelled), 4)
        for rma in labelled:
            self.assertEqual(rma.carrier_id, self.dataset["carriers_by_key"]["mondialrelay_relay"])
            shipment = rma.shipment_ids
            self.assertEqual((shipment.kind, shipment.state), ("return", "done"))
            self.assertEqual(rma.picking_ids.carrier_tracking_ref, shipment.tracking_number)
            self.assertTrue(rma.picking_ids.return_label_ids.raw.startswith(b"%PDF"))
            self.assertEqual(rma._label_attachments(), shipment.label_attachment_id)
            self.assertFalse(shipment.exchange_log, "no carrier was called")
            stage = "label_created" if rma.state == "awaiting" else "delivered"
            self.assertEqual(shipment.tracking_stage, stage, rma.name)

    def test_store_returns_are_dropped_off_at_the_store(self):
        store_returns = self.returns.filtered(lambda rma: rma.channel == "store")
        self.assertEqual(len(store_returns), 3)
        for rma in store_returns:
            self.assertEqual(rma.return_method, "drop_off")
            self.assertEqual(rma.warehouse_id, rma.sale_order_id.warehouse_id)
            self.assertTrue(rma.warehouse_id.omni_is_store)

    def test_received_units_graded_into_stock(self):
        received = self.returns.filtered(
            lambda rma: rma.state in ("received", "inspected", "refunded")
        )
        self.assertEqual(set(received.picking_ids.mapped("state")), {"done"})
        for rma in received:
            self.assertEqual(rma.line_ids.qty_received, rma.line_ids.quantity, rma.name)
        graded = received.filtered(lambda rma: rma.state != "received")
        for rma in graded:
            self.assertEqual(sum(rma.grading_ids.mapped("quantity")), rma.quantity, rma.name)
            self.assertEqual(set(rma.grading_ids.move_ids.mapped("state")), {"done"})
        grade_a = self.env.ref("omni_returns.omni_return_grade_a")
        self.assertIn(grade_a, graded.grading_ids.grade_id)

    def test_refunds_are_posted_credit_notes(self):
        for rma in self.by_state("refunded"):
            refunds = rma.sudo().refund_ids
            self.assertTrue(refunds, rma.name)
            self.assertEqual(set(refunds.mapped("state")), {"posted"})
            self.assertEqual(set(refunds.mapped("move_type")), {"out_refund"})
            self.assertTrue(rma.sale_order_id.invoice_ids.filtered(lambda m: m.state == "posted"))

    def test_external_ids(self):
        names = self.env["omni.demo.generator"]._demo_external_ids(self.dataset)
        self.assertEqual(names["demo_return_1"], self.returns[0])
        self.assertEqual(names[f"demo_return_{len(RETURN_PLAN)}"], self.returns[-1])
