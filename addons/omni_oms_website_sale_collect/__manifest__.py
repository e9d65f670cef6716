{
    "name": "Omni Click & Collect for the Website",
    "summary": "Website click & collect orders go through Omni's store workflow",
    "version": "18.0.1.0.0",
    "category": "Website/Website",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["omni_oms", "website_sale_collect"],
    "demo": [
        "demo/omni_oms_website_sale_collect_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
