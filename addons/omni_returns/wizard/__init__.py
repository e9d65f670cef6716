from . import omni_return_item_mixin
from . import stock_return_picking
from . import omni_return_request
from . import omni_return_inspect
from . import omni_return_refuse
from . import omni_return_store_counter
