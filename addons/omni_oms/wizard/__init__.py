from . import omni_store_reject
from . import omni_store_counter
