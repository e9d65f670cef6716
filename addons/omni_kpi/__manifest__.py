{
    "name": "Omni Service Level",
    "summary": "Delivery promises kept or broken, OTIF, cycle times, store and carrier "
    "service KPIs, dashboards",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_oms", "omni_tms", "spreadsheet_dashboard"],
    "data": [
        "security/ir.model.access.csv",
        "security/omni_kpi_security.xml",
        "views/omni_kpi_order_views.xml",
        "views/omni_kpi_store_order_views.xml",
        "views/omni_kpi_shipment_views.xml",
        "views/omni_kpi_menus.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "installable": True,
}
