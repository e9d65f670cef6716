from . import test_tms_mondialrelay
