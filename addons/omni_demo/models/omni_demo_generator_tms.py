# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
from odoo import Command, api, models

# The test carriers call the local fake carrier server the demo command starts
# (omni_tms/tests/fake_servers/serve.py, DEMO_SERVERS).
DEMO_CARRIER_URL = "http://127.0.0.1:8079/sandbox"
# (key, name, base price, price per kg, lead time in days, max weight in kg)
TEST_CARRIERS = [
    ("eco", "Eco", 3.9, 0.6, 5, 30.0),
    ("standard", "Standard", 5.5, 0.8, 2, 30.0),
    ("express", "Express", 9.9, 1.5, 1, 20.0),
    ("freight", "Freight", 25.0, 0.35, 4, 70.0),
]


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [
            self._generate_carriers,
            self._generate_carrier_rules,
        ]

    @api.model
    def _demo_external_ids(self, dataset):
        """The carriers are ``demo_carrier_<key>``, by their key in ``carriers_by_key``."""
        return {
            **super()._demo_external_ids(dataset),
            **{
                f"demo_carrier_{key}": carrier
                for key, carrier in dataset["carriers_by_key"].items()
            },
        }

    @api.model
    def _prepare_test_carrier_vals(self, dataset, product, spec):
        key, name, base_price, per_kg, lead_time, max_weight = spec
        url = dataset["params"].get("carrier_url", DEMO_CARRIER_URL)
        return {
            "name": f"{dataset['prefix']} {name} (test carrier)",
            "delivery_type": "omni_test",
            "product_id": product.id,
            "company_id": dataset["company"].id,
            "omni_test_url": url,
            "omni_test_prod_url": url,
            "omni_test_account": f"{dataset['prefix']}-{key.upper()}",
            "omni_test_api_key": f"{dataset['prefix'].lower()}-demo-key",
            "omni_test_base_price": base_price,
            "omni_test_price_per_kg": per_kg,
            "omni_test_lead_time_days": lead_time,
            "omni_lead_time_days": lead_time,
            "max_weight": max_weight,
            "omni_timeout": 5.0,
            "omni_webhook_secret": f"{dataset['prefix'].lower()}-webhook-secret",
        }

    @api.model
    def _prepare_shipping_product_vals(self, dataset, name):
        """The delivery product of demo carriers (``name``: what they ship with)."""
        return {
            "name": f"{dataset['prefix']} {name}",
            "type": "service",
            "list_price": 0.0,
            "company_id": dataset["company"].id,
        }

    @api.model
    def _generate_carriers(self, dataset):
        product = self.env["product.product"].create(
            self._prepare_shipping_product_vals(dataset, "Shipping")
        )
        carriers = (
            self.env["delivery.carrier"]
            .sudo()
            .create(
                [self._prepare_test_carrier_vals(dataset, product, spec) for spec in TEST_CARRIERS]
            )
        )
        dataset["carriers"] = carriers
        dataset["carriers_by_key"] = {
            spec[0]: carrier for spec, carrier in zip(TEST_CARRIERS, carriers, strict=True)
        }

    @api.model
    def _prepare_carrier_rule_vals(self, dataset):
        carriers = dataset["carriers_by_key"]
        prefix = dataset["prefix"]
        company = dataset["company"].id
        europe = self.env.ref("base.europe", raise_if_not_found=False)
        return [
            {
                "name": f"{prefix} Heavy parcels go by freight",
                "sequence": 10,
                "company_id": company,
                "min_weight": 20.0,
                "action": "carrier",
                "carrier_id": carriers["freight"].id,
            },
            {
                "name": f"{prefix} Express: fastest within 30",
                "sequence": 20,
                "company_id": company,
                "service_level": "express",
                "action": "rate_shopping",
                "policy": "fastest",
                "budget": 30.0,
                "candidate_carrier_ids": [
                    Command.set((carriers["express"] | carriers["standard"]).ids)
                ],
            },
            {
                "name": f"{prefix} Relay points by eco",
                "sequence": 30,
                "company_id": company,
                "service_level": "relay",
                "action": "carrier",
                "carrier_id": carriers["eco"].id,
            },
            {
                "name": f"{prefix} France: cheapest within 3 days",
                "sequence": 40,
                "company_id": company,
                "country_ids": [Command.set(self.env.ref("base.fr").ids)],
                "action": "rate_shopping",
                "policy": "cheapest",
                "max_lead_time_days": 3.0,
                "candidate_carrier_ids": [
                    Command.set((carriers["eco"] | carriers["standard"] | carriers["express"]).ids)
                ],
            },
            {
                "name": f"{prefix} Europe: cheapest",
                "sequence": 50,
                "company_id": company,
                "country_group_ids": [Command.set(europe.ids)] if europe else False,
                "action": "rate_shopping",
                "policy": "cheapest",
                "candidate_carrier_ids": [
                    Command.set((carriers["standard"] | carriers["express"]).ids)
                ],
            },
        ]

    @api.model
    def _generate_carrier_rules(self, dataset):
        dataset["carrier_rules"] = self.env["omni.carrier.rule"].create(
            self._prepare_carrier_rule_vals(dataset)
        )
