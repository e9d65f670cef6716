from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestOmniDemoGenerator(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls.env["omni.demo.generator"]
        cls.dataset = cls.generator._generate(
            stores=12, products=15, customers=8, orders=0, prefix="TGEN", seed=7
        )

    def test_network_size_and_addresses(self):
        dataset = self.dataset
        self.assertEqual(len(dataset["distribution_centers"]), 2)
        self.assertEqual(len(dataset["stores"]), 12)
        warehouses = dataset["warehouses"]
        self.assertEqual(len(set(warehouses.mapped("code"))), 14)
        self.assertEqual(len(set(warehouses.mapped("name"))), 14, "store names are unique")
        for warehouse in warehouses:
            partner = warehouse.partner_id
            self.assertTrue(partner.street and partner.city and partner.country_id)
            self.assertTrue(partner.partner_latitude and partner.partner_longitude)

    def test_reused_cities_are_spread_apart(self):
        stores = self.dataset["stores"]
        paris_stores = stores.filtered(lambda wh: wh.partner_id.city == "Paris")
        self.assertEqual(len(paris_stores), 2)
        first, second = paris_stores.partner_id
        self.assertNotEqual(
            (first.partner_latitude, first.partner_longitude),
            (second.partner_latitude, second.partner_longitude),
        )

    def test_products_and_customers(self):
        products = self.dataset["products"]
        self.assertEqual(len(products), 15)
        self.assertEqual(products[0].default_code, "TGEN-00001")
        self.assertTrue(all(product.is_storable for product in products))
        self.assertEqual(len(set(products.mapped("barcode"))), 15)
        customers = self.dataset["customers"]
        self.assertEqual(len(customers), 8)
        self.assertTrue(all(customer.country_id for customer in customers))

    def test_stock_spread_across_network(self):
        quants = self.env["stock.quant"].search(
            [("product_id", "in", self.dataset["products"].ids)]
        )
        warehouses = self.dataset["warehouses"]
        self.assertTrue(quants)
        self.assertLessEqual(quants.warehouse_id, warehouses)
        self.assertGreater(len(quants.location_id), 3, "stock sits in several places")
        self.assertTrue(all(quant.quantity > 0 for quant in quants))

    def test_same_seed_same_data(self):
        again = self.generator._generate(
            stores=12, products=15, customers=8, orders=0, prefix="TGEN2", seed=7
        )

        def stock_of(dataset):
            quants = self.env["stock.quant"].search(
                [("product_id", "in", dataset["products"].ids)],
                order="product_id, location_id",
            )
            return [
                (quant.product_id.name, quant.warehouse_id.partner_id.city, quant.quantity)
                for quant in quants
            ]

        self.assertEqual(stock_of(self.dataset), stock_of(again))
        self.assertNotEqual(
            self.dataset["warehouses"].mapped("code"), again["warehouses"].mapped("code")
        )

    def test_demo_external_ids(self):
        dataset = self.dataset
        names = self.generator._demo_external_ids(dataset)
        self.assertEqual(names["demo_distribution_centers_1"], dataset["distribution_centers"][0])
        self.assertEqual(names["demo_stores_12"], dataset["stores"][11])
        self.assertEqual(names["demo_products_15"], dataset["products"][14])
        self.assertEqual(names["demo_customers_1"], dataset["customers"][0])
        self.assertEqual(names["demo_pick_layout"], dataset["pick_layout"])
        self.assertEqual(names["demo_wave"], dataset["wave"])
        for key in ("eco", "standard", "express", "freight", "mondialrelay_relay", "sendcloud"):
            self.assertEqual(names[f"demo_carrier_{key}"], dataset["carriers_by_key"][key])
