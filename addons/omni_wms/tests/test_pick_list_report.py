import io

from PIL import Image

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import OmniWmsCommon


@tagged("post_install", "-at_install")
class TestPickListReport(OmniWmsCommon):
    def render(self, report_xmlid, records):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(report_xmlid, records.ids)
        return html.decode()

    def assert_in_order(self, text, *parts):
        positions = [text.index(part) for part in parts]
        self.assertEqual(positions, sorted(positions), parts)

    def test_picking_pick_list_in_walking_order(self):
        picking = self.delivery("P7", "P3", "P2", "P1")
        html = self.render("omni_wms.stock_picking_report_omni_pick_list", picking)
        self.assert_in_order(html, "A-01-1", "B-04-1", "D-02-1", "OWT/Stock<")
        self.assertIn("Route length:", html)
        self.assertIn("40.5", html)
        self.assertIn("not placed", html)
        self.assertIn("come last in the pick list (lines: 1; locations: OWT/Stock)", html)

    def test_batch_pick_list_names_the_transfers(self):
        first, second = self.delivery("P1", "P2", "P3"), self.delivery("P4", "P5", "P6")
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set((first | second).ids)]}
        )
        batch.action_confirm()
        html = self.render("omni_wms.stock_picking_batch_report_omni_pick_list", batch)
        self.assert_in_order(html, "A-01-1", "D-02-1", "D-04-1", "C-03-2", "B-04-1", "B-02-1")
        self.assertIn(first.name, html)
        self.assertIn(second.name, html)
        self.assertIn("48.0", html)
        # a transfer of the batch lists its lines in the batch's order, and says so
        html = self.render("omni_wms.stock_picking_report_omni_pick_list", first)
        self.assertIn("Picked with:", html)
        self.assertIn(batch.name, html)
        self.assert_in_order(html, "A-01-1", "D-02-1", "B-04-1")

    def test_report_is_in_the_print_menu(self):
        for model in ("stock.picking", "stock.picking.batch"):
            reports = self.env["ir.actions.report"].search(
                [("binding_model_id.model", "=", model), ("report_name", "like", "omni_pick_list")]
            )
            self.assertEqual(len(reports), 1, model)

    def test_pick_list_has_tick_boxes_and_barcodes(self):
        self.products["P2"].barcode = "4006381333931"
        picking = self.delivery("P1", "P2", "P7")
        html = self.render("omni_wms.stock_picking_report_omni_pick_list", picking)
        self.assertEqual(html.count('name="tick_box"'), 3)
        # a location's barcode, else its full name; a product's, else its reference
        for value in (
            "OWT/Stock/A-01-1",
            "OWT/Stock/B-04-1",
            "OWTSTOCK",
            "OWT-P1",
            "4006381333931",
        ):
            self.assertIn(f'alt="Barcode {value}" src="data:image/png;base64,', html)
        self.assertNotIn('alt="Barcode OWT-P2"', html)


@tagged("post_install", "-at_install")
class TestPickListPdf(OmniWmsCommon, HttpCase):
    """The pick list through wkhtmltopdf, which fetches the report's styles from the
    server: the server must answer in the test's transaction."""

    def test_pick_list_prints_as_a_pdf_with_its_barcodes(self):
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set((self.delivery("P1", "P2") | self.delivery("P3")).ids)]}
        )
        batch.action_confirm()
        Report = self.env["ir.actions.report"]
        pdf, report_format = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "omni_wms.stock_picking_batch_report_omni_pick_list", batch.ids
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        printed = [
            self.black_and_white(Image.open(io.BytesIO(image.data)))
            for page in PdfFileReader(io.BytesIO(pdf)).pages
            for image in page.images
        ]
        for value in (
            *(f"OWT/Stock/{name}" for name in ("A-01-1", "B-04-1", "D-02-1")),
            *(f"OWT-P{number}" for number in (1, 2, 3)),
        ):
            barcode = Report.barcode("Code128", value, width=600, height=100)
            expected = self.black_and_white(Image.open(io.BytesIO(barcode)))
            self.assertTrue(
                any(self.same_image(expected, image) for image in printed), f"no barcode {value}"
            )

    @staticmethod
    def black_and_white(image):
        return image.convert("L").point(lambda value: 255 if value > 127 else 0)

    @staticmethod
    def same_image(first, second):
        """Whether two black and white images differ by less than 1% of their pixels
        (the PDF compresses them)."""
        if first.size != second.size:
            return False
        pixels = list(zip(first.getdata(), second.getdata(), strict=True))
        return sum(a != b for a, b in pixels) < len(pixels) / 100
