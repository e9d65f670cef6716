from ast import literal_eval

from odoo.tests import tagged

from odoo.addons.omni_base.tests.common import OmniCommon


@tagged("post_install", "-at_install")
class TestTmsShipments(OmniCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"].create({"name": "Shipment test product"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {"name": "Test carrier", "product_id": product.id, "delivery_type": "fixed"}
        )
        picking_type = cls.env.ref("stock.picking_type_out")
        cls.shipment = cls.env["stock.picking"].create(
            {"picking_type_id": picking_type.id, "carrier_id": cls.carrier.id}
        )
        cls.without_carrier = cls.env["stock.picking"].create({"picking_type_id": picking_type.id})
        cls.receipt = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.env.ref("stock.picking_type_in").id,
                "carrier_id": cls.carrier.id,
            }
        )

    def test_shipments_are_outgoing_pickings_with_a_carrier(self):
        action = self.env.ref("omni_tms.stock_picking_action_shipment")
        found = self.env["stock.picking"].search(literal_eval(action.domain))
        self.assertIn(self.shipment, found)
        self.assertNotIn(self.without_carrier, found)
        self.assertNotIn(self.receipt, found)

    def test_store_staff_and_operators_see_shipments(self):
        transport = [
            self.env.ref(f"omni_tms.{xmlid}")
            for xmlid in (
                "stock_picking_menu_shipment",
                "omni_shipment_menu",
                "omni_tracking_event_menu",
                "omni_carrier_quote_menu",
            )
        ]
        for user in (self.user_store_staff, self.user_operator):
            for menu in transport:
                self.assertIn(menu, self.visible_menus(user), user.login)
        configuration = [
            self.env.ref(f"omni_tms.{xmlid}")
            for xmlid in (
                "delivery_carrier_menu",
                "omni_carrier_rule_menu",
                "omni_tracking_notification_menu",
            )
        ]
        for menu in configuration:
            self.assertNotIn(menu, self.visible_menus(self.user_operator))
            self.assertNotIn(menu, self.visible_menus(self.user_store_staff))
            self.assertIn(menu, self.visible_menus(self.user_manager))
