from . import ats_feed
