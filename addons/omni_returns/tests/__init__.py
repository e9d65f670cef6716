from . import test_returns
