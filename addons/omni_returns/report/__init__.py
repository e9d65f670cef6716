from . import omni_return_report
