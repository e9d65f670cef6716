from . import test_oms_generator
from . import test_oms_menus
from . import test_ats_buffers
from . import test_ats_computation
from . import test_ats_feed
from . import test_ats_sale
from . import test_ats_security
from . import test_ats_stock_operations
