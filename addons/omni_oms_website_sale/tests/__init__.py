from . import test_website_promise
