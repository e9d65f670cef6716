from . import test_returns_request
from . import test_returns_portal
from . import test_returns_counter
from . import test_returns_receipt_grading
from . import test_returns_refund
from . import test_returns_security
from . import test_returns_report
