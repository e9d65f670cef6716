# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models

# The fake web services the demo command starts (omni_tms/tests/fake_servers/serve.py,
# DEMO_SERVERS), with the carrier's public test account.
CHRONOPOST_DEMO_URL = "http://127.0.0.1:8085"
CHRONOPOST_DEMO_ACCOUNT = ("19869502", "255562")


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [self._generate_chronopost_carriers]

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
