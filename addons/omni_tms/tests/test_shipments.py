import base64
import io
import logging

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader
from odoo.tools.safe_eval import safe_eval

from .common import API_KEY, TmsCommon
from .fake_servers import Fail, Garble, Hang


@tagged("post_install", "-at_install")
class TestShipments(TmsCommon):
    def _shipment(self, picking):
        return self.env["omni.shipment"].search([("picking_id", "=", picking.id)])

    def test_validation_creates_the_label_once_with_our_reference(self):
        picking = self._delivery(self.standard)
        picking.button_validate()
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "done", "kind": "outbound", "attempt_count": 1}]
        )
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)
        request = self.server.requests_to("/v1/shipments", "POST")[0]
        self.assertEqual(request.header("Idempotency-Key"), shipment.name)
        self.assertEqual(request.path, "/sandbox/v1/shipments")
        label = picking._omni_label_attachments()
        self.assertEqual(len(label), 1)
        self.assertEqual(label.name, f"LabelShipping-omni_test-{shipment.tracking_number}.pdf")
        self.assertTrue(label.raw.startswith(b"%PDF"))
        self.assertEqual(shipment.label_attachment_id, label, "the label is kept once")
        self.assertEqual(base64.b64decode(shipment.label), label.raw)
        self.assertAlmostEqual(picking.carrier_price, 5.5 + 0.8 * 2)
        self.assertEqual(
            picking.carrier_tracking_url,
            f"{self.server.url}/sandbox/track/{shipment.tracking_number}",
        )

    def test_label_before_validation_is_kept_at_validation(self):
        picking = self._delivery(self.standard)
        picking.action_omni_create_label()
        tracking = picking.carrier_tracking_ref
        self.assertTrue(tracking)
        picking.button_validate()
        self.assertEqual(picking.carrier_tracking_ref, tracking)
        self.assertEqual(len(self.server.created), 1)

    def test_production_endpoint(self):
        self.standard.prod_environment = True
        picking = self._delivery(self.standard)
        picking.button_validate()
        self.assertEqual(self.server.requests[-1].path, "/live/v1/shipments")

    def test_outages_and_rate_limits_are_retried_within_the_call(self):
        picking = self._delivery(self.standard)
        self.server.script(Fail(503), Fail(429, retry_after=0), path="/v1/shipments")
        picking.button_validate()
        self.assertEqual(self._shipment(picking).state, "done")
        self.assertEqual(len(self.server.requests_to("/v1/shipments")), 3)
        self.assertEqual(len(self.server.created), 1)

    def test_retry_after_a_lost_answer_never_creates_a_second_shipment(self):
        picking = self._delivery(self.standard)
        self.standard.write({"omni_timeout": 0.5, "omni_max_retries": 0})
        # The carrier creates the shipment, but its answer comes too late.
        self.server.script(Hang(1.5, after=True), path="/v1/shipments")
        error = self._fails(picking.send_to_shipper)
        self.assertIsInstance(error, UserError)
        self.assertIn("kept to retry", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment, [{"state": "error", "retryable": True, "outcome_unknown": True}]
        )
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertEqual(len(self.server.created), 1)

        shipment.action_retry()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(shipment.attempt_count, 2)
        self.assertEqual(len(self.server.created), 1, "looked up, not created again")
        self.assertEqual(len(self.server.requests_to("/v1/shipments", "GET")), 1)
        self.assertEqual(picking.carrier_tracking_ref, self.server.created[0]["tracking_number"])
        self.assertEqual(len(picking._omni_label_attachments()), 1)

        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(self.server.created), 1)
        self.assertEqual(len(self._shipment(picking)), 1)

    def test_an_unreadable_answer_is_looked_up_before_anything_is_sent_again(self):
        picking = self._delivery(self.standard)
        # The carrier creates the shipment; its answer is cut short.
        self.server.script(Garble(), path="/v1/shipments")
        error = self._fails(picking.send_to_shipper)
        self.assertIn("kept to retry", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment,
            [{"state": "error", "error_code": "UNREADABLE", "outcome_unknown": True}],
        )
        self.env["omni.shipment"]._cron_retry_shipments()
        self.assertRecordValues(shipment, [{"state": "done", "attempt_count": 2}])
        self.assertEqual(len(self.server.requests_to("/v1/shipments", "POST")), 1)
        self.assertEqual(len(self.server.requests_to("/v1/shipments", "GET")), 1)
        self.assertEqual(picking.carrier_tracking_ref, self.server.created[0]["tracking_number"])

    def test_a_look_up_without_answer_leaves_the_outcome_unknown(self):
        picking = self._delivery(self.standard)
        self.standard.write({"omni_timeout": 0.5, "omni_max_retries": 0})
        self.server.script(Hang(1.5, after=True), path="/v1/shipments")
        self._fails(picking.send_to_shipper)
        shipment = self._shipment(picking)
        # The look-up is refused (rate limit): nothing says the shipment does not exist.
        self.server.script(Fail(429, retry_after=0), path="/v1/shipments")
        self._fails(shipment.action_retry)
        self.assertRecordValues(shipment, [{"state": "error", "outcome_unknown": True}])
        shipment.action_retry()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(len(self.server.requests_to("/v1/shipments", "GET")), 2)
        self.assertEqual(len(self.server.requests_to("/v1/shipments", "POST")), 1)

    def test_a_carrier_refusal_is_kept_with_its_code_until_fixed(self):
        picking = self._delivery(self.standard)
        self.customer_fr.zip = "7501"
        error = self._fails(picking.send_to_shipper)
        self.assertIn("INVALID_POSTCODE", str(error))
        shipment = self._shipment(picking)
        self.assertRecordValues(
            shipment,
            [{"state": "error", "error_code": "INVALID_POSTCODE", "retryable": False}],
        )
        self.env["omni.shipment"]._cron_retry_shipments()
        self.assertEqual(shipment.attempt_count, 1, "a refusal is not retried automatically")
        self.customer_fr.zip = "75011"
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(shipment.state, "done")
        self.assertEqual(shipment.attempt_count, 2)

    def test_cron_retries_carrier_side_failures(self):
        picking = self._delivery(self.standard)
        self.standard.omni_max_retries = 0
        self.server.script(Fail(502), path="/v1/shipments")
        self._fails(picking.send_to_shipper)
        shipment = self._shipment(picking)
        self.assertTrue(shipment.retryable)
        self.env["omni.shipment"]._cron_retry_shipments()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(picking.carrier_tracking_ref, shipment.tracking_number)

    def test_an_attempt_in_progress_is_not_doubled(self):
        picking = self._delivery(self.standard)
        Shipment = self.env["omni.shipment"]
        claimed = Shipment.browse(Shipment._omni_reserve(picking, self.standard, "outbound"))
        self.assertEqual(claimed.state, "pending")
        with self.assertRaisesRegex(UserError, "is being created"):
            picking.send_to_shipper()
        self.assertEqual(self.server.requests, [])

    def test_secrets_stay_out_of_logs_and_records(self):
        self.standard.debug_logging = True
        picking = self._delivery(self.standard)
        with self.assertLogs("odoo.addons.omni_tms", level=logging.DEBUG) as logs:
            picking.button_validate()
        logged = "\n".join(logs.output)
        self.assertIn("/sandbox/v1/shipments", logged)
        self.assertIn("Authorization: ***", logged)
        self.assertNotIn(API_KEY, logged)
        shipment = self._shipment(picking)
        self.assertNotIn(API_KEY, shipment.exchange_log)
        self.assertEqual(self.server.requests[-1].header("Authorization"), f"Bearer {API_KEY}")
        debug = self.env["ir.logging"].search([("path", "=", "omni_test")])
        self.assertTrue(debug)
        self.assertFalse([log for log in debug if API_KEY in log.message])

    def test_cancel(self):
        picking = self._delivery(self.standard)
        picking.button_validate()
        shipment = self._shipment(picking)
        picking.cancel_shipment()
        self.assertEqual(shipment.state, "cancelled")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertEqual(self.server.shipments[shipment.carrier_reference]["status"], "cancelled")

    def test_return_label(self):
        picking = self._delivery(self.standard)
        picking.button_validate()
        returned = self._return(picking)
        self.assertEqual(returned.carrier_id, self.standard, "Omni carriers do returns")
        self.assertTrue(returned.is_return_picking)
        returned.print_return_label()
        shipment = self._shipment(returned)
        self.assertRecordValues(shipment, [{"kind": "return", "state": "done"}])
        returned.invalidate_recordset(["return_label_ids"])
        self.assertEqual(returned.return_label_ids.name, shipment.label_filename)
        request = self.server.requests_to("/v1/returns")[0].json()
        self.assertEqual(request["recipient"]["zip"], "69800", "back to the warehouse")
        self.assertEqual(request["shipper"]["zip"], "75011")

    def test_return_label_with_the_delivery(self):
        self.standard.write({"return_label_on_delivery": True})
        picking = self._delivery(self.standard)
        picking.button_validate()
        kinds = self._shipment(picking).mapped("kind")
        self.assertEqual(sorted(kinds), ["outbound", "return"])
        picking.invalidate_recordset(["return_label_ids"])
        self.assertEqual(len(picking.return_label_ids), 1)

    def test_batch_labels_in_one_pdf(self):
        pickings = self._delivery(self.standard) | self._delivery(self.eco)
        batch = self.env["stock.picking.batch"].create({"picking_ids": [(6, 0, pickings.ids)]})
        batch.action_confirm()
        pickings.action_omni_create_label()
        action = batch.action_omni_print_labels()
        merged = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertEqual(merged.res_id, batch.id)
        self.assertEqual(merged.res_model, "stock.picking.batch")
        self.assertEqual(PdfFileReader(io.BytesIO(merged.raw)).getNumPages(), 2)

    def test_batch_zpl_labels_kept_as_they_are(self):
        (self.standard | self.eco).omni_label_format = "zpl"
        pickings = self._delivery(self.standard) | self._delivery(self.eco)
        batch = self.env["stock.picking.batch"].create({"picking_ids": [(6, 0, pickings.ids)]})
        batch.action_confirm()
        pickings.action_omni_create_label()
        action = batch.action_omni_print_labels()
        merged = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertTrue(merged.name.endswith(".zpl"))
        labels = pickings._omni_label_attachments()
        self.assertEqual(merged.raw, b"".join(labels.mapped("raw")))
        self.assertEqual(merged.raw.count(b"^XA"), 2)

    def test_batch_without_labels(self):
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [(6, 0, self._delivery(self.standard).ids)]}
        )
        with self.assertRaisesRegex(UserError, "has a carrier label yet"):
            batch.action_omni_print_labels()

    def test_carrier_shipments_open_on_the_ones_to_follow(self):
        """The list opens on shipments that failed or are on their way, not on none."""
        failed, on_the_way, delivered = (self._delivery(self.standard) for _index in range(3))
        for picking in (failed, on_the_way, delivered):
            picking.button_validate()
        failed.omni_shipment_ids.sudo().state = "error"
        delivered.omni_shipment_ids.sudo().tracking_stage = "delivered"
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_tms.omni_shipment_action")
        defaults = [
            key.removeprefix("search_default_")
            for key in safe_eval(action["context"])
            if key.startswith("search_default_")
        ]
        arch = self.env["omni.shipment"].get_views([(False, "search")])["views"]["search"]
        filters = {
            node.get("name"): node.get("domain")
            for node in etree.fromstring(arch["arch"]).iter("filter")
        }
        self.assertEqual(len(defaults), 1)
        shown = self.env["omni.shipment"].search(safe_eval(filters[defaults[0]]))
        self.assertIn(failed.omni_shipment_ids, shown)
        self.assertIn(on_the_way.omni_shipment_ids, shown)
        self.assertNotIn(delivered.omni_shipment_ids, shown)

    def test_overview_counts_failed_shipments(self):
        tile = self.env.ref("omni_tms.omni_dashboard_tile_failed_shipments")
        tiles = self.env["omni.dashboard.tile"]
        self.assertIn(tile, tiles.with_user(self.user_operator).search([]))
        self.assertNotIn(tile, tiles.with_user(self.user_store_staff).search([]))
        before = tile.with_user(self.user_operator).count
        picking = self._delivery(self.standard)
        picking.button_validate()
        picking.omni_shipment_ids.sudo().state = "error"
        tile.invalidate_recordset(["count"])
        self.assertEqual(tile.with_user(self.user_operator).count, before + 1)
        action = tile.with_user(self.user_operator).action_open()
        self.assertIn(picking.omni_shipment_ids, self.env["omni.shipment"].search(action["domain"]))
