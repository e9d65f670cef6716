from . import test_tms_chronopost
