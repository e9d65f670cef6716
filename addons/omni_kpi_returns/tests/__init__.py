from . import test_kpi_returns
