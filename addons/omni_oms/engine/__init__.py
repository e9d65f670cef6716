from . import routing
