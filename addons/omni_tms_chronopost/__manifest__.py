{
    "name": "Omni Transport: Chronopost",
    "summary": "Chronopost: prices, skybills, return labels, tracking, relay points",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_tms"],
    "external_dependencies": {"python": ["zeep"]},
    "data": [
        "views/delivery_carrier_views.xml",
    ],
    "installable": True,
}
