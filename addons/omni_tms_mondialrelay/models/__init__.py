from . import delivery_carrier
from . import omni_shipment
