from . import test_tms_shipments
