{
    "name": "Omni Warehouse Management",
    "summary": "Warehouse execution: layouts, optimal pick routes, waves by order type, "
    "replenishment, picking screen, productivity",
    "version": "18.0.1.3.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_base", "stock_picking_batch", "stock_delivery"],
    "data": [
        "security/ir.model.access.csv",
        "security/omni_wms_security.xml",
        "views/omni_warehouse_layout_views.xml",
        "views/stock_location_views.xml",
        "views/stock_move_line_views.xml",
        "views/stock_picking_views.xml",
        "views/stock_picking_batch_views.xml",
        "views/omni_wave_rule_views.xml",
        "views/omni_pick_face_views.xml",
        "views/omni_pick_productivity_views.xml",
        "views/omni_wms_menus.xml",
        "data/omni_dashboard_tile_data.xml",
        "data/omni_wms_cron_data.xml",
        "report/omni_pick_list_reports.xml",
        "report/omni_pick_list_templates.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "omni_wms/static/src/**/*",
        ],
        "web.assets_tests": [
            "omni_wms/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
