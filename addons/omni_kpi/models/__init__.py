from . import sale_order
from . import stock_picking
from . import omni_store_order
from . import omni_kpi_order
from . import omni_kpi_store_order
from . import omni_kpi_shipment
