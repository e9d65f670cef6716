from . import test_returns
from . import test_returns_request
