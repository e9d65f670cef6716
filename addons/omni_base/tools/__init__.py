from .durable import durable_env
from .gather import let_gather, window_left
from .retry import retried_on_conflict
from .text import shortened
