from . import test_tms_shipments
from . import test_carrier_rules
from . import test_shipments
from . import test_tracking
from . import test_tms_security

# Mondial Relay
from . import test_tms_mondialrelay

# Sendcloud (REST)
from . import test_tms_sendcloud

# Chronopost (SOAP)
from . import test_tms_chronopost
