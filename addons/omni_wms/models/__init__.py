from . import omni_warehouse_layout
from . import omni_pick_route_mixin
from . import stock_location
from . import stock_move
from . import stock_move_line
from . import stock_picking
from . import stock_picking_batch
