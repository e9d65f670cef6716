from . import ats_buffers
from . import routing
