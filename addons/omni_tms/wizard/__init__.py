from . import stock_return_picking

# Pickup points (Mondial Relay relay points and other carriers' pickup locations)
from . import omni_pickup_location_wizard
