from . import test_tms_sendcloud
