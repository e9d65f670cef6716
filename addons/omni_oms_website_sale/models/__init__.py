from . import omni_promise_service
from . import website
