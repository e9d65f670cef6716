from . import test_wms_menus
from . import test_warehouse_layout
from . import test_location_placement
from . import test_pick_routes
from . import test_pick_list_report
from . import test_pick_route_feedback
from . import test_wms_access
from . import test_wms_demo_generator
