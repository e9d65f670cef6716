from odoo import Command, api, models


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _load_website_collect_demo(self):
        """Offer the demo stores with click & collect at the website checkout."""
        stores = self.env["stock.warehouse"].search(
            [("omni_is_store", "=", True), ("omni_click_collect", "=", True)]
        )
        carrier = self.env.ref("website_sale_collect.carrier_pick_up_in_store")
        carrier.warehouse_ids = [Command.link(store.id) for store in stores]
