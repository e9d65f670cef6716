from ast import literal_eval

from odoo.tests import Form, tagged

from odoo.addons.omni_base.tests.common import OmniCommon


@tagged("post_install", "-at_install")
class TestReturns(OmniCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Returnable lamp", "is_storable": True}
        )
        cls.warehouse = cls.env["stock.warehouse"].create({"name": "Return WH", "code": "RTW"})
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 5
        )
        cls.customer = cls.env["res.partner"].create({"name": "Returning customer"})

    def _deliver(self, quantity):
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "location_id": self.warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        },
                    )
                ],
            }
        )
        delivery.action_confirm()
        delivery.action_assign()
        delivery.move_ids.picked = True
        delivery.button_validate()
        return delivery

    def test_returned_delivery_is_listed_in_returns(self):
        delivery = self._deliver(2)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=delivery.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])

        action = self.env.ref("omni_returns.stock_picking_action_return")
        found = self.env["stock.picking"].search(literal_eval(action.domain))
        self.assertIn(returned, found)
        self.assertNotIn(delivery, found)
        self.assertEqual(returned.move_ids.product_uom_qty, 1)

    def test_returns_section_visible_to_store_staff(self):
        menu = self.env.ref("omni_returns.stock_picking_menu_return")
        self.assertIn(menu, self.visible_menus(self.user_store_staff))
        self.assertNotIn(menu, self.visible_menus(self.user_internal))
