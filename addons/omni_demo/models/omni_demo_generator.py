import random
import zlib

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# (city, zip, country code, latitude, longitude, street)
DISTRIBUTION_CENTERS = [
    ("Saint-Priest", "69800", "FR", 45.7076, 4.9325, "Parc Logistique, 8 Rue du Dauphiné"),
    ("Lesquin", "59810", "FR", 50.5898, 3.1106, "ZI de Lesquin, 2 Rue des Saules"),
]
STORE_CITIES = [
    ("Paris", "75002", "FR", 48.8686, 2.3422, "21 Rue de la Paix"),
    ("Marseille", "13001", "FR", 43.2965, 5.3698, "48 La Canebière"),
    ("Bordeaux", "33000", "FR", 44.8412, -0.5800, "112 Rue Sainte-Catherine"),
    ("Nantes", "44000", "FR", 47.2138, -1.5586, "5 Rue Crébillon"),
    ("Toulouse", "31000", "FR", 43.6045, 1.4440, "14 Rue d'Alsace-Lorraine"),
    ("Strasbourg", "67000", "FR", 48.5839, 7.7455, "3 Rue des Grandes Arcades"),
    ("Bruxelles", "1000", "BE", 50.8467, 4.3525, "Rue Neuve 64"),
    ("Rennes", "35000", "FR", 48.1113, -1.6800, "9 Rue Le Bastard"),
    ("Montpellier", "34000", "FR", 43.6108, 3.8767, "2 Place de la Comédie"),
    ("Nice", "06000", "FR", 43.7009, 7.2683, "30 Avenue Jean Médecin"),
]
CUSTOMER_CITIES = [
    ("Paris", "75011", "FR", 48.8590, 2.3790),
    ("Lyon", "69003", "FR", 45.7597, 4.8590),
    ("Marseille", "13008", "FR", 43.2400, 5.3800),
    ("Lille", "59000", "FR", 50.6292, 3.0573),
    ("Bordeaux", "33800", "FR", 44.8250, -0.5600),
    ("Grenoble", "38000", "FR", 45.1885, 5.7245),
    ("Dijon", "21000", "FR", 47.3220, 5.0415),
    ("Bruxelles", "1050", "BE", 50.8270, 4.3720),
    ("Liège", "4000", "BE", 50.6326, 5.5797),
    ("Köln", "50667", "DE", 50.9375, 6.9603),
    ("Barcelona", "08001", "ES", 41.3809, 2.1734),
    ("Milano", "20121", "IT", 45.4720, 9.1890),
    ("Amsterdam", "1012", "NL", 52.3730, 4.8924),
    ("Luxembourg", "1118", "LU", 49.6116, 6.1319),
]
FIRST_NAMES = [
    "Camille",
    "Lucas",
    "Léa",
    "Hugo",
    "Chloé",
    "Louis",
    "Emma",
    "Jules",
    "Inès",
    "Nathan",
    "Sofia",
    "Elias",
    "Marta",
    "Pieter",
    "Giulia",
    "Jonas",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Peeters",
    "Janssens",
    "Schneider",
    "García",
    "Rossi",
    "de Vries",
    "Weber",
    "Laurent",
    "Fontaine",
]
COMPANY_WORDS = ["Boutique", "Maison", "Atelier", "Comptoir", "Galerie", "Bazar"]
CATEGORIES = {
    "Apparel": (["T-shirt", "Hoodie", "Jacket", "Jeans", "Dress", "Scarf"], (0.2, 1.5)),
    "Footwear": (["Sneakers", "Boots", "Sandals", "Loafers"], (0.6, 2.0)),
    "Home": (["Lamp", "Cushion", "Vase", "Plaid", "Mirror", "Rug"], (0.5, 12.0)),
    "Electronics": (["Headphones", "Speaker", "Charger", "Smartwatch", "Tablet"], (0.1, 2.5)),
    "Sports": (["Yoga mat", "Dumbbell set", "Racket", "Backpack", "Bottle"], (0.3, 15.0)),
}
DEMO_PARAMS = {
    "stores": 4,
    "products": 50,
    "customers": 40,
    "orders": 30,
    "seed": 42,
    "prefix": "OMNI",
}
ADJECTIVES = [
    "Classic",
    "Urban",
    "Alpine",
    "Coastal",
    "Nordic",
    "Vintage",
    "Essential",
    "Studio",
    "Eco",
    "Pro",
]


class OmniDemoGenerator(models.AbstractModel):
    """Builds an omnichannel network with products, customers and stock (this file),
    then the data of each domain (the other files of this add-on, each adding its steps
    to ``_generation_steps``).

    The same code loads the demo data (``_load_demo``) and builds datasets of any
    size for tests and benchmarks (``_generate``).
    """

    _name = "omni.demo.generator"
    _description = "Omni data generator"

    @api.model
    def _generate(self, **params):
        """Create a dataset sized by ``params`` (see DEMO_PARAMS for the keys) and
        return it as a dict of recordsets."""
        dataset = self._prepare_dataset({**DEMO_PARAMS, **params})
        for step in self._generation_steps():
            step(dataset)
        return dataset

    @api.model
    def _prepare_dataset(self, params):
        """``params`` holds the sizes asked for; the steps add their records."""
        return {
            "params": params,
            "prefix": params["prefix"],
            "rng": random.Random(params["seed"]),
            "company": self.env.company,
        }

    @api.model
    def _generation_steps(self):
        return [
            self._generate_network,
            self._generate_products,
            self._generate_customers,
            self._generate_stock,
        ]

    # Network -------------------------------------------------------------

    @api.model
    def _site_addresses(self, sites, count, rng):
        """``count`` addresses taken in turn from ``sites``, spread apart when reused."""
        for index in range(count):
            city, zip_code, country, lat, lng, street = sites[index % len(sites)]
            lap = index // len(sites)
            if lap:
                lat += rng.uniform(-0.05, 0.05) * lap
                lng += rng.uniform(-0.05, 0.05) * lap
            yield index, city, zip_code, country, round(lat, 6), round(lng, 6), street

    @api.model
    def _prepare_site_partner_vals(self, dataset, name, address):
        _index, city, zip_code, country, lat, lng, street = address
        return {
            "name": name,
            "is_company": True,
            "street": street,
            "city": city,
            "zip": zip_code,
            "country_id": self.env.ref(f"base.{country.lower()}").id,
            "partner_latitude": lat,
            "partner_longitude": lng,
            "company_id": dataset["company"].id,
        }

    @api.model
    def _prepare_warehouse_vals(self, dataset, name, code, partner, kind):
        return {
            "name": name,
            "code": code,
            "partner_id": partner.id,
            "company_id": dataset["company"].id,
        }

    @api.model
    def _free_warehouse_codes(self, company, stem, count):
        """``count`` warehouse codes ``<stem><n>`` not used yet in ``company``."""
        used = set(
            self.env["stock.warehouse"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
            .mapped("code")
        )
        width = 5 - len(stem)
        free = (f"{stem}{n:0{width}d}" for n in range(1, 10**width))
        codes = [code for code in free if code not in used][:count]
        if len(codes) < count:
            raise UserError(self.env._("No free warehouse code left for %(stem)s.", stem=stem))
        return codes

    @api.model
    def _create_sites(self, dataset, sites, count, kind):
        prefix = dataset["prefix"]
        stem = "S" if kind == "store" else "DC"
        codes = self._free_warehouse_codes(dataset["company"], stem, count)
        labels = []
        for address, code in zip(
            self._site_addresses(sites, count, dataset["rng"]), codes, strict=True
        ):
            index, city = address[0], address[1]
            if kind == "store":
                suffix = f" {index // len(sites) + 1}" if index >= len(sites) else ""
                labels.append((f"{prefix} Store {city}{suffix}", code, address))
            else:
                name = "Central DC" if index == 0 else f"Regional DC {city}"
                labels.append((f"{prefix} {name}", code, address))
        partners = self.env["res.partner"].create(
            [
                self._prepare_site_partner_vals(dataset, name, address)
                for name, _code, address in labels
            ]
        )
        return self.env["stock.warehouse"].create(
            [
                self._prepare_warehouse_vals(dataset, name, code, partner, kind)
                for (name, code, _address), partner in zip(labels, partners, strict=True)
            ]
        )

    @api.model
    def _generate_network(self, dataset):
        dataset["distribution_centers"] = self._create_sites(
            dataset, DISTRIBUTION_CENTERS, len(DISTRIBUTION_CENTERS), "dc"
        )
        dataset["stores"] = self._create_sites(
            dataset, STORE_CITIES, dataset["params"]["stores"], "store"
        )
        dataset["warehouses"] = dataset["distribution_centers"] | dataset["stores"]

    # Products --------------------------------------------------------------

    @api.model
    def _ean13(self, number):
        digits = f"{number:012d}"[-12:]
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
        return digits + str((10 - total % 10) % 10)

    @api.model
    def _generate_categories(self, dataset):
        parent = self.env["product.category"].create({"name": f"{dataset['prefix']} Catalogue"})
        categories = self.env["product.category"].create(
            [{"name": name, "parent_id": parent.id} for name in CATEGORIES]
        )
        return dict(zip(CATEGORIES, categories, strict=True))

    @api.model
    def _prepare_product_vals(self, dataset, index, category_name, category):
        rng = dataset["rng"]
        nouns, (min_weight, max_weight) = CATEGORIES[category_name]
        weight = round(rng.uniform(min_weight, max_weight), 2)
        price = round(rng.uniform(9, 240), 2)
        return {
            "name": f"{rng.choice(ADJECTIVES)} {rng.choice(nouns)}",
            "default_code": f"{dataset['prefix']}-{index + 1:05d}",
            "barcode": self._ean13(
                zlib.crc32(dataset["prefix"].encode()) % 10**5 * 10**7 + index + 1
            ),
            "type": "consu",
            "is_storable": True,
            "categ_id": category.id,
            "list_price": price,
            "standard_price": round(price * rng.uniform(0.35, 0.6), 2),
            "weight": weight,
            "volume": round(weight * rng.uniform(0.002, 0.006), 4),
            "company_id": False,
        }

    @api.model
    def _generate_products(self, dataset):
        categories = self._generate_categories(dataset)
        names = list(categories)
        vals_list = [
            self._prepare_product_vals(
                dataset, index, names[index % len(names)], categories[names[index % len(names)]]
            )
            for index in range(dataset["params"]["products"])
        ]
        # Creating the variants directly (their templates come with them) sets the
        # variant fields (code, barcode, cost, weight) at creation instead of writing
        # them afterwards product by product; generated products need no chatter log.
        dataset["categories"] = self.env["product.category"].union(*categories.values())
        dataset["products"] = (
            self.env["product.product"]
            .with_context(tracking_disable=True)
            .create(vals_list)
            .with_env(self.env)
        )

    # Customers --------------------------------------------------------------

    @api.model
    def _prepare_customer_vals(self, dataset, index):
        rng = dataset["rng"]
        city, zip_code, country, lat, lng = rng.choice(CUSTOMER_CITIES)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        is_company = rng.random() < 0.2
        name = f"{rng.choice(COMPANY_WORDS)} {last}" if is_company else f"{first} {last}"
        login = f"{first}.{last}".lower().replace(" ", "")
        return {
            "name": name,
            "is_company": is_company,
            "street": f"{rng.randint(1, 180)} {rng.choice(['Rue', 'Avenue', 'Boulevard'])} "
            f"{rng.choice(LAST_NAMES)}",
            "city": city,
            "zip": zip_code,
            "country_id": self.env.ref(f"base.{country.lower()}").id,
            "partner_latitude": round(lat + rng.uniform(-0.03, 0.03), 6),
            "partner_longitude": round(lng + rng.uniform(-0.03, 0.03), 6),
            "email": f"{login}{index + 1}@example.com",
            "phone": f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
            "customer_rank": 1,
        }

    @api.model
    def _generate_customers(self, dataset):
        dataset["customers"] = self.env["res.partner"].create(
            [
                self._prepare_customer_vals(dataset, index)
                for index in range(dataset["params"]["customers"])
            ]
        )

    # Stock --------------------------------------------------------------

    @api.model
    def _stock_profile(self, dataset, warehouse):
        """(probability a product is held, maximum quantity) for ``warehouse``."""
        if warehouse in dataset["stores"]:
            return 0.45, 12
        if warehouse == dataset["distribution_centers"][:1]:
            return 0.9, 200
        return 0.6, 80

    @api.model
    def _generate_stock(self, dataset):
        rng = dataset["rng"]
        profiles = [
            (wh.lot_stock_id.id, *self._stock_profile(dataset, wh)) for wh in dataset["warehouses"]
        ]
        vals_list = [
            {
                "product_id": product_id,
                "location_id": location_id,
                "quantity": rng.randint(1, max_qty),
            }
            for product_id in dataset["products"].ids
            for location_id, probability, max_qty in profiles
            if rng.random() < probability
        ]
        dataset["quants"] = self._create_quants(vals_list)

    @api.model
    def _create_quants(self, vals_list):
        """Stock on hand from ``vals_list`` (product_id, location_id, quantity), in one
        INSERT: datasets of hundreds of thousands of quants are built in seconds.

        The rows are those ``stock.quant.create`` writes for a quantity set without
        inventory mode: company and storage category of the location, next inventory
        date of the location, no counted quantity.
        """
        if not vals_list:
            return self.env["stock.quant"]
        locations = self.env["stock.location"].browse({vals["location_id"] for vals in vals_list})
        inventory_dates = {
            location.id: location._get_next_inventory_date() or None for location in locations
        }
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO stock_quant (
                    product_id, location_id, company_id, storage_category_id, quantity,
                    reserved_quantity, inventory_quantity_set, inventory_diff_quantity,
                    inventory_date, in_date, create_uid, write_uid, create_date, write_date
                )
                SELECT v.product_id, v.location_id, loc.company_id, loc.storage_category_id,
                       v.quantity, 0, FALSE, -v.quantity, v.inventory_date,
                       %(now)s, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM unnest(%(products)s::int[], %(locations)s::int[],
                              %(quantities)s::numeric[], %(dates)s::date[])
                       AS v(product_id, location_id, quantity, inventory_date)
                  JOIN stock_location loc ON loc.id = v.location_id
              ORDER BY v.product_id, v.location_id
             RETURNING id
                """,
                now=self.env.cr.now(),
                uid=self.env.uid,
                products=[vals["product_id"] for vals in vals_list],
                locations=[vals["location_id"] for vals in vals_list],
                quantities=[vals["quantity"] for vals in vals_list],
                dates=[inventory_dates[vals["location_id"]] for vals in vals_list],
            )
        )
        quant_ids = [row[0] for row in self.env.cr.fetchall()]
        self.env["stock.quant"].invalidate_model()
        return self.env["stock.quant"].browse(quant_ids)

    # Demo data --------------------------------------------------------------

    @api.model
    def _load_demo(self):
        """Generate the demo dataset and give its records their external ids."""
        dataset = self._generate()
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"omni_demo.{name}", "record": record, "noupdate": True}
                for name, record in self._demo_external_ids(dataset).items()
            ]
        )

    @api.model
    def _demo_external_ids(self, dataset):
        """{name: record} of the demo records given an external id: ``demo_<key>_<n>``
        for the warehouses, products, customers and categories."""
        return {
            f"demo_{key}_{index}": record
            for key in ("distribution_centers", "stores", "products", "customers", "categories")
            for index, record in enumerate(dataset[key], start=1)
        }
