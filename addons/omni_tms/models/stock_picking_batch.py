from odoo import models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf


class StockPickingBatch(models.Model):
    _inherit = "stock.picking.batch"

    def action_omni_print_labels(self):
        """All the carrier labels of the batch in one file: PDF labels merged into one
        PDF, ZPL labels put one after the other for thermal printers."""
        self.ensure_one()
        labels = self.picking_ids._omni_label_attachments()
        if not labels:
            raise UserError(
                self.env._(
                    "No transfer of %(batch)s has a carrier label yet: create the labels "
                    "(or validate the transfers) first.",
                    batch=self.name,
                )
            )
        pdf = labels.filtered(lambda label: label.name.lower().endswith(".pdf"))
        zpl = labels.filtered(lambda label: label.name.lower().endswith(".zpl"))
        files = []
        if pdf:
            files.append(
                (f"Labels-{self.name}.pdf", merge_pdf(pdf.mapped("raw")), "application/pdf")
            )
        if zpl:
            content = b"".join(
                raw if raw.endswith(b"\n") else raw + b"\n" for raw in zpl.mapped("raw")
            )
            files.append((f"Labels-{self.name}.zpl", content, "application/octet-stream"))
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": name.replace("/", "_"),
                    "raw": content,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                }
                for name, content, mimetype in files
            ]
        )
        self.message_post(
            body=self.env._("Labels of %(count)s transfers.", count=len(labels.mapped("res_id"))),
            attachment_ids=attachments.ids,
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachments[0].id}?download=true",
            "target": "self",
        }
