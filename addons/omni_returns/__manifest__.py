{
    "name": "Omni Returns",
    "summary": "Returns: return requests, return labels, inspection, restocking, refunds",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_tms", "sale_stock"],
    "data": [
        "views/stock_picking_views.xml",
        "views/omni_returns_menus.xml",
    ],
    "installable": True,
}
