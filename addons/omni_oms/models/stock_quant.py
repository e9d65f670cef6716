from odoo import api, models

# Quant fields whose change changes stock on hand somewhere.
ATS_QUANT_FIELDS = {"quantity", "product_id", "location_id"}


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model_create_multi
    def create(self, vals_list):
        quants = super().create(vals_list)
        quants._omni_ats_mark_dirty()
        return quants

    def write(self, vals):
        if ATS_QUANT_FIELDS.isdisjoint(vals):
            return super().write(vals)
        self._omni_ats_mark_dirty()
        result = super().write(vals)
        self._omni_ats_mark_dirty()
        return result

    def unlink(self):
        self._omni_ats_mark_dirty()
        return super().unlink()

    def _omni_ats_mark_dirty(self):
        self.env["omni.stock.pool"]._ats_mark_dirty(self.product_id, self.company_id)
