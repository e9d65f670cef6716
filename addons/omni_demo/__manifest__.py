{
    "name": "Omni Demo Data",
    "summary": "Omni's demo data, and the generator that builds it for tests and benchmarks",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/omni-logistics/omni",
    "author": "Omni",
    "maintainers": ["omni-logistics"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": [
        "omni_oms",
        "omni_wms",
        "omni_tms",
        "omni_tms_mondialrelay",
        "omni_tms_chronopost",
        "omni_tms_sendcloud",
        "omni_returns",
    ],
    "demo": [
        "demo/omni_demo.xml",
    ],
    "installable": True,
}
