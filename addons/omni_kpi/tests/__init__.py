from . import test_promise_delivery
from . import test_promise_outcome
from . import test_kpi_reports
