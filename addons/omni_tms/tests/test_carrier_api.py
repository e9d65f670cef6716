from odoo.tests import tagged

from ..models.delivery_carrier import CARRIER_API
from .common import TmsCommon


@tagged("post_install", "-at_install")
class TestCarrierApi(TmsCommon):
    """Odoo reaches a delivery type's provider by name; a type built on the connector
    base defines only its settings and its connector."""

    def test_a_type_with_a_connector_answers_odoo_s_carrier_api(self):
        carrier = self.standard
        for method in CARRIER_API:
            self.assertTrue(hasattr(carrier, f"omni_test_{method}"), method)
            self.assertEqual(
                getattr(carrier, f"omni_test_{method}"), getattr(carrier, f"_omni_{method}")
            )
        self.assertAlmostEqual(
            carrier.rate_shipment(self._order())["price"], 5.5 + 0.8 * 2, msg="2 kg"
        )

    def test_other_types_and_names_are_left_alone(self):
        carrier = self.standard
        self.assertFalse(hasattr(carrier, "fixed_get_return_label"), "no connector")
        self.assertFalse(hasattr(carrier, "omni_test_unknown_method"))
        self.assertFalse(hasattr(carrier, "_omni_test_rate_shipment"))
        self.assertNotEqual(
            carrier.fixed_send_shipping, carrier._omni_send_shipping, "Odoo's own method"
        )
