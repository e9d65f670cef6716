from odoo import Command, api, models

DEMO_CARRIER_URL = "http://127.0.0.1:8079/sandbox"
# Mondial Relay: the fake web services of tests/fake_servers/serve.py, and prices by
# weight (kg) since the carrier has no rates.
MONDIALRELAY_DEMO_URL = "http://127.0.0.1:8083"
MONDIALRELAY_DEMO_PRICES = {
    "24R": [(1.0, 3.9), (5.0, 5.9), (30.0, 12.9)],
    "HOM": [(1.0, 5.9), (5.0, 8.5), (30.0, 19.9)],
}
MONDIALRELAY_DEMO_SENDER_PHONE = "+33 4 72 00 00 00"
# (key, name, base price, price per kg, lead time in days, max weight in kg)
TEST_CARRIERS = [
    ("eco", "Eco", 3.9, 0.6, 5, 30.0),
    ("standard", "Standard", 5.5, 0.8, 2, 30.0),
    ("express", "Express", 9.9, 1.5, 1, 20.0),
    ("freight", "Freight", 25.0, 0.35, 4, 70.0),
]
# Sendcloud: the fake Sendcloud server the demo command starts (serve.py, DEMO_PORTS).
SENDCLOUD_DEMO_URL = "http://127.0.0.1:8084"
# Chronopost: the fake web services the demo command starts (serve.py, DEMO_PORTS), with
# the carrier's public test account.
CHRONOPOST_DEMO_URL = "http://127.0.0.1:8085"
CHRONOPOST_DEMO_ACCOUNT = ("19869502", "255562")


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + self._tms_generation_steps()

    @api.model
    def _tms_generation_steps(self):
        return [
            self._generate_carriers,
            self._generate_carrier_rules,
            # Mondial Relay
            self._generate_mondialrelay_carriers,
            # Sendcloud (REST)
            self._generate_sendcloud_carrier,
            # Chronopost (SOAP)
            self._generate_chronopost_carriers,
        ]

    @api.model
    def _load_tms_demo(self):
        dataset = self._demo_dataset()
        for step in self._tms_generation_steps():
            step(dataset)
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"omni_tms.demo_carrier_{key}", "record": carrier, "noupdate": True}
                for key, carrier in dataset["carriers_by_key"].items()
            ]
        )

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
    def _generate_carriers(self, dataset):
        product = self.env["product.product"].create(
            {
                "name": f"{dataset['prefix']} Shipping",
                "type": "service",
                "list_price": 0.0,
                "company_id": dataset["company"].id,
            }
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

    # Mondial Relay ------------------------------------------------------------------

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
            {
                "name": f"{dataset['prefix']} Mondial Relay",
                "type": "service",
                "list_price": 0.0,
                "company_id": dataset["company"].id,
            }
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

    # Sendcloud (REST) -------------------------------------------------------------------

    @api.model
    def _prepare_sendcloud_carrier_vals(self, dataset, product):
        url = dataset["params"].get("sendcloud_url", SENDCLOUD_DEMO_URL)
        prefix = dataset["prefix"].lower()
        return {
            "name": f"{dataset['prefix']} Sendcloud (local test server)",
            "delivery_type": "omni_sendcloud",
            "product_id": product.id,
            "company_id": dataset["company"].id,
            "omni_sendcloud_public_key": f"{prefix}-demo-public-key",
            "omni_sendcloud_secret_key": f"{prefix}-demo-secret-key",
            "omni_sendcloud_url": f"{url}/api/v2",
            "omni_sendcloud_prod_url": f"{url}/api/v2",
            "omni_sendcloud_service_point_url": f"{url}/servicepoints/api/v2",
            "omni_sendcloud_service_point_prod_url": f"{url}/servicepoints/api/v2",
            "omni_lead_time_days": 2,
            "max_weight": 30.0,
            "omni_timeout": 5.0,
        }

    @api.model
    def _generate_sendcloud_carrier(self, dataset):
        product = dataset["carriers"][:1].product_id
        carrier = (
            self.env["delivery.carrier"]
            .sudo()
            .create(self._prepare_sendcloud_carrier_vals(dataset, product))
        )
        dataset["carriers_by_key"]["sendcloud"] = carrier

    # Chronopost (SOAP) ------------------------------------------------------------------

    @api.model
    def _prepare_chronopost_carrier_vals(self, dataset, product, name, product_code):
        url = dataset["params"].get("chronopost_url", CHRONOPOST_DEMO_URL)
        account, password = CHRONOPOST_DEMO_ACCOUNT
        return {
            "name": f"{dataset['prefix']} Chronopost {name} (local test server)",
            "delivery_type": "omni_chronopost",
            "product_id": product.id,
            "company_id": dataset["company"].id,
            "omni_chronopost_account": account,
            "omni_chronopost_password": password,
            "omni_chronopost_url": url,
            "omni_chronopost_prod_url": url,
            "omni_chronopost_product_code": product_code,
            "omni_lead_time_days": 1,
            "max_weight": 30.0,
            "omni_timeout": 5.0,
        }

    @api.model
    def _generate_chronopost_carriers(self, dataset):
        """Chronopost at home before 1 pm and to a relay point."""
        product = dataset["carriers"][:1].product_id
        carriers = (
            self.env["delivery.carrier"]
            .sudo()
            .create(
                [
                    self._prepare_chronopost_carrier_vals(dataset, product, name, code)
                    for name, code in (("13", "01"), ("relay point", "86"))
                ]
            )
        )
        dataset["carriers_by_key"].update(
            {"chronopost_13": carriers[0], "chronopost_relay": carriers[1]}
        )
