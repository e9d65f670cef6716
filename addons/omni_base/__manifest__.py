{
    "name": "Omni Base",
    "summary": "Shared core of the Omni logistics suite: groups, app menu, demo network",
    "version": "18.0.1.1.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "application": True,
    "depends": ["stock", "sales_team"],
    "data": [
        "security/omni_security.xml",
        "security/ir.model.access.csv",
        "views/omni_dashboard_tile_views.xml",
        "views/omni_menus.xml",
    ],
    "demo": [
        "demo/omni_demo.xml",
    ],
    "installable": True,
}
