from . import channel_api
from . import ats_feed
from . import promise_api
