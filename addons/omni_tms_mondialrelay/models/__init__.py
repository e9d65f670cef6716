from . import delivery_carrier
from . import omni_shipment
from . import omni_demo_generator
