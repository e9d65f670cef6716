from . import test_tms_shipments
from . import test_carrier_rules
from . import test_shipments
from . import test_tracking
from . import test_tms_security
from . import test_carrier_api
from . import test_carrier_transit
