from . import ir_cron
from . import omni_rule_mixin
from . import omni_dashboard_tile
