# The generation steps run in the order of these files.
from . import omni_demo_generator
from . import omni_demo_generator_wms
from . import omni_demo_generator_waves
from . import omni_demo_generator_oms
from . import omni_demo_generator_tms
from . import omni_demo_generator_chronopost
from . import omni_demo_generator_mondialrelay
from . import omni_demo_generator_sendcloud
from . import omni_demo_generator_shipping
from . import omni_demo_generator_returns
from . import omni_demo_generator_cost
from . import omni_demo_generator_promise
