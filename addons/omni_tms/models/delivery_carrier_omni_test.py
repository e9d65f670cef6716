# The test carrier in a file of its own, as a carrier add-on has it.
# pylint: disable=consider-merging-classes-inherited
"""The Omni test carrier: a delivery type built the way a carrier add-on builds one,
with its settings and its connector only (Odoo's carrier API is the framework's)."""

from odoo import fields, models

from ..connector import OmniTestConnector


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("omni_test", "Omni Test Carrier")],
        ondelete={"omni_test": "set fixed"},
    )
    omni_test_url = fields.Char(
        string="Test Endpoint",
        help="Base URL of the test carrier's API used while the carrier is in test mode.",
    )
    omni_test_prod_url = fields.Char(
        string="Production Endpoint",
        help="Base URL of the test carrier's API used in production mode.",
    )
    omni_test_account = fields.Char(string="Account Number")
    omni_test_api_key = fields.Char(string="API Key", groups="base.group_system", copy=False)
    omni_test_base_price = fields.Float(
        string="Base Price", help="Price of any shipment before weight, in the company currency."
    )
    omni_test_price_per_kg = fields.Float(string="Price per kg")
    omni_test_lead_time_days = fields.Integer(
        string="Carrier Lead Time (days)",
        default=2,
        help="Days from shipping to delivery the test carrier quotes.",
    )

    def _omni_test_connector(self):
        self.ensure_one()
        return OmniTestConnector(
            account=self.omni_test_account or "",
            api_key=self._omni_secret("omni_test_api_key"),
            tariff={
                "base_price": self.omni_test_base_price,
                "price_per_kg": self.omni_test_price_per_kg,
                "lead_time_days": self.omni_test_lead_time_days,
                "max_weight": self.max_weight,
            },
            endpoint=self._omni_endpoint(self.omni_test_url, self.omni_test_prod_url),
            **self._omni_connector_kwargs(),
        )
