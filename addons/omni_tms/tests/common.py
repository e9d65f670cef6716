from odoo import Command

from odoo.addons.omni_base.tests.common import OmniCommon

from .fake_servers import OmniTestCarrierServer

API_KEY = "sk_test_51Hq2vLmZ9"
WEBHOOK_SECRET = "whsec_7c1d9e"


class TmsCommon(OmniCommon):
    """A fake Omni test carrier server, three test carriers on it, customers, products
    in stock, and no carrier rule but the ones a test creates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Cursors opened by the code (shipment records, carrier logs) share the test
        # transaction, as in HttpCase, so what they commit is rolled back with it.
        if not getattr(cls, "registry_test_mode", False):
            cls.registry.enter_test_mode(cls.cr)
            cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.server = OmniTestCarrierServer(accounts={})
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.company = cls.env.company
        cls.env["omni.carrier.rule"].search([]).active = False
        cls.company.partner_id.write(
            {
                "street": "8 Rue du Dauphiné",
                "zip": "69800",
                "city": "Saint-Priest",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse.partner_id = cls.company.partner_id
        cls.warehouse.out_type_id.print_label = True
        # Prices in the company's currency, whatever pricelist the customer's country gets.
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Carrier test prices", "currency_id": cls.env.company.currency_id.id}
        )
        cls.customer_fr = cls._customer(
            "Camille Martin", "12 Rue Oberkampf", "75011", "Paris", "fr"
        )
        cls.customer_it = cls._customer("Giulia Rossi", "Via Dante 4", "20121", "Milano", "it")
        cls.product = cls.env["product.product"].create(
            {"name": "Lamp", "is_storable": True, "weight": 2.0, "list_price": 80.0}
        )
        cls.heavy_product = cls.env["product.product"].create(
            {"name": "Rug", "is_storable": True, "weight": 12.0, "list_price": 150.0}
        )
        for product in cls.product | cls.heavy_product:
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.warehouse.lot_stock_id, 100
            )
        cls.shipping_product = cls.env["product.product"].create(
            {"name": "Test shipping", "type": "service", "list_price": 0.0}
        )
        cls.eco = cls._carrier("ECO", 3.9, 0.6, 5, 30.0)
        cls.standard = cls._carrier("STD", 5.5, 0.8, 2, 30.0)
        cls.express = cls._carrier("EXP", 9.9, 1.5, 1, 20.0)

    def setUp(self):
        super().setUp()
        self.server.reset()

    @classmethod
    def _customer(cls, name, street, zip_code, city, country):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "street": street,
                "zip": zip_code,
                "city": city,
                "country_id": cls.env.ref(f"base.{country}").id,
                "email": f"{name.split()[0].lower()}@example.com",
            }
        )

    @classmethod
    def _carrier(cls, account, base_price, per_kg, lead_time, max_weight, **vals):
        cls.server.accounts[account] = API_KEY
        return cls.env["delivery.carrier"].create(
            {
                "name": f"Test {account}",
                "delivery_type": "omni_test",
                "product_id": cls.shipping_product.id,
                "omni_test_url": f"{cls.server.url}/sandbox",
                "omni_test_prod_url": f"{cls.server.url}/live",
                "omni_test_account": account,
                "omni_test_api_key": API_KEY,
                "omni_test_base_price": base_price,
                "omni_test_price_per_kg": per_kg,
                "omni_test_lead_time_days": lead_time,
                "max_weight": max_weight,
                "omni_timeout": 2.0,
                "omni_max_retries": 2,
                "omni_webhook_secret": WEBHOOK_SECRET,
                **vals,
            }
        )

    @classmethod
    def _rule(cls, carriers, **vals):
        """A rule choosing ``carriers``: one carrier, or rate shopping among several."""
        if len(carriers) == 1 and "policy" not in vals:
            vals.update(action="carrier", carrier_id=carriers.id)
        else:
            vals.update(action="rate_shopping", candidate_carrier_ids=[Command.set(carriers.ids)])
        return cls.env["omni.carrier.rule"].create({"name": "Test rule", **vals})

    @classmethod
    def _order(cls, partner=None, product=None, qty=1, **vals):
        return cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer_fr).id,
                "warehouse_id": cls.warehouse.id,
                "pricelist_id": cls.pricelist.id,
                "order_line": [
                    Command.create(
                        {"product_id": (product or cls.product).id, "product_uom_qty": qty}
                    )
                ],
                **vals,
            }
        )

    @classmethod
    def _delivery(cls, carrier, partner=None, product=None, qty=1):
        """A confirmed order shipping with ``carrier``, and its delivery, ready to ship."""
        order = cls._order(partner, product, qty)
        order.set_delivery_line(carrier, 10.0)
        return cls._ready(order)

    @classmethod
    def _ready(cls, order):
        """The delivery of ``order``, confirmed: reserved and picked, ready to ship."""
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking

    def _return(self, picking):
        """The return of ``picking``, made with Odoo's return wizard."""
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        return self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])

    @classmethod
    def _pack(cls, picking, package_type=None, shipping_weight=0.0):
        package = cls.env["stock.quant.package"].create(
            {
                "package_type_id": package_type.id if package_type else False,
                "shipping_weight": shipping_weight,
            }
        )
        picking.move_line_ids.result_package_id = package
        return package

    def _fails(self, function, *args):
        """The UserError ``function`` raises, without rolling back what it committed on
        its own (assertRaises would undo it in tests)."""
        try:
            function(*args)
        except Exception as error:  # noqa: BLE001
            return error
        self.fail(f"{function} did not fail")
