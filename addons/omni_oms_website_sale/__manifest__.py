{
    "name": "Omni Delivery Promise on the Website",
    "summary": "The delivery promise on the product page and the cart: order within 2 h "
    "10 min, delivered Thursday",
    "version": "18.0.1.0.0",
    "category": "Website/Website",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_oms", "omni_tms", "website_sale"],
    "data": [
        "views/website_sale_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "omni_oms_website_sale/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
