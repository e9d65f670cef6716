# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
from odoo import Command, api, models

# The fake web services the demo command starts (omni_tms/tests/fake_servers/serve.py,
# DEMO_SERVERS), with the public test brand; prices by weight (kg), the carrier having
# no rates.
MONDIALRELAY_DEMO_URL = "http://127.0.0.1:8083"
MONDIALRELAY_DEMO_PRICES = {
    "24R": [(1.0, 3.9), (5.0, 5.9), (30.0, 12.9)],
    "HOM": [(1.0, 5.9), (5.0, 8.5), (30.0, 19.9)],
}
MONDIALRELAY_DEMO_SENDER_PHONE = "+33 4 72 00 00 00"


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [self._generate_mondialrelay_carriers]

    @api.model
    def _prepare_mondialrelay_carrier_vals(self, dataset, product, name, mode):
        url = dataset["params"].get("mondialrelay_url", MONDIALRELAY_DEMO_URL)
        return {
            "name": f"{dataset['prefix']} Mondial Relay {name}",
            "delivery_type": "omni_mondialrelay",
            "product_id": product.id,
            "company_id": dataset["company"].id,
            "omni_mondialrelay_brand": "BDTEST13",
            "omni_mondialrelay_private_key": "TestAPI1key",
            "omni_mondialrelay_url": f"{url}/Web_Services.asmx",
            "omni_mondialrelay_prod_url": f"{url}/Web_Services.asmx",
            "omni_mondialrelay_label_host": url,
            "omni_mondialrelay_delivery_mode": mode,
            "omni_lead_time_days": 3 if mode == "24R" else 2,
            "omni_timeout": 5.0,
            "max_weight": 30.0,
            "price_rule_ids": [
                Command.create(
                    {
                        "variable": "weight",
                        "operator": "<=",
                        "max_value": max_weight,
                        "list_base_price": price,
                    }
                )
                for max_weight, price in MONDIALRELAY_DEMO_PRICES[mode]
            ],
        }

    @api.model
    def _generate_mondialrelay_carriers(self, dataset):
        """Mondial Relay to a relay point and at home, on the local fake web services
        (public test brand BDTEST13)."""
        product = self.env["product.product"].create(
            self._prepare_shipping_product_vals(dataset, "Mondial Relay")
        )
        carriers = (
            self.env["delivery.carrier"]
            .sudo()
            .create(
                [
                    self._prepare_mondialrelay_carrier_vals(dataset, product, name, mode)
                    for name, mode in (("relay point", "24R"), ("home", "HOM"))
                ]
            )
        )
        dataset["carriers_by_key"].update(
            {"mondialrelay_relay": carriers[0], "mondialrelay_home": carriers[1]}
        )
        # Mondial Relay requires the sender's phone on every label.
        senders = dataset["warehouses"].partner_id.filtered(lambda partner: not partner.phone)
        senders.phone = MONDIALRELAY_DEMO_SENDER_PHONE
