from . import omni_demo_generator
