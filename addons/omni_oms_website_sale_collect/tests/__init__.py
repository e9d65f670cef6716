from . import test_website_collect
from . import test_website_pickup_stores
