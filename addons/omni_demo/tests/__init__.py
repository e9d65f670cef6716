from . import test_demo_generator
from . import test_demo_generator_oms
from . import test_demo_generator_wms
from . import test_demo_generator_carriers
from . import test_demo_generator_shipping
from . import test_demo_generator_returns
