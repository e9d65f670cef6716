from . import omni_kpi_order
