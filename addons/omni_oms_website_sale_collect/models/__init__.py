from . import sale_order
from . import stock_warehouse
