{
    "name": "Omni Service Level: Returns",
    "summary": "The returns rate of orders per channel, warehouse, carrier and week in the "
    "service level reports",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_kpi", "omni_returns"],
    "data": [
        "views/omni_kpi_order_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
