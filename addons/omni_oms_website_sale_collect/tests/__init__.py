from . import test_website_collect
