{
    "name": "Omni Transport Management",
    "summary": "Transport: carrier connectors, carrier rules, rate shopping, labels, tracking",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_base", "stock_delivery"],
    "data": [
        "views/stock_picking_views.xml",
        "views/omni_tms_menus.xml",
    ],
    "installable": True,
}
