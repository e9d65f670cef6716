from . import test_wms_menus
