from . import stock_return_picking

# Pickup points of the carriers with <type>_use_locations
from . import omni_pickup_location_wizard
