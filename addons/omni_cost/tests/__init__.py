from . import test_cost_orders
from . import test_cost_returns_audit
from . import test_cost_dashboard
from . import test_cost_tours
from . import test_cost_access
