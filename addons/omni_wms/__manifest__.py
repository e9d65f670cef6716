{
    "name": "Omni Warehouse Management",
    "summary": "Warehouse execution: waves by order type, optimal pick paths, pick lists",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_base", "stock_picking_batch"],
    "data": [
        "views/omni_wms_menus.xml",
    ],
    "installable": True,
}
