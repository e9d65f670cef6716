from . import test_omni_groups
from . import test_omni_rule_mixin
from . import test_omni_dashboard
from . import test_ir_cron
