from . import omni_demo_generator
from . import sale_order
