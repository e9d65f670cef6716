# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models

# The fake Sendcloud server the demo command starts (omni_tms/tests/fake_servers/serve.py,
# DEMO_SERVERS).
SENDCLOUD_DEMO_URL = "http://127.0.0.1:8084"


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [self._generate_sendcloud_carrier]

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
