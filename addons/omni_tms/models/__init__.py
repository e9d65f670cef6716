from . import res_company
from . import res_config_settings
from . import delivery_carrier
from . import delivery_carrier_omni_test
from . import omni_shipping_document
from . import omni_carrier_rule
from . import omni_carrier_quote
from . import omni_carrier_selection
from . import omni_shipment
from . import omni_tracking_event
from . import omni_tracking_notification
from . import omni_shipment_notification
from . import sale_order
from . import stock_move
from . import stock_picking
from . import stock_picking_batch
from . import omni_demo_generator

# Mondial Relay
from . import delivery_carrier_mondialrelay
from . import omni_shipment_mondialrelay

# Sendcloud (REST)
from . import delivery_carrier_sendcloud

# Chronopost (SOAP)
from . import delivery_carrier_chronopost
