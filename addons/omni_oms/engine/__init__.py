from . import ats_buffers
from . import order_rules
from . import routing
from . import promise
