from . import test_oms_generator
from . import test_oms_menus
