from . import crm_team
from . import stock_warehouse
from . import omni_demo_generator
