{
    "name": "Omni Order Management",
    "summary": "Omnichannel order management: channels, stores, order routing",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_base", "sale_stock"],
    "data": [
        "security/ir.model.access.csv",
        "views/crm_team_views.xml",
        "views/stock_warehouse_views.xml",
        "views/omni_oms_menus.xml",
    ],
    "demo": [
        "demo/omni_oms_demo.xml",
    ],
    "installable": True,
}
