from .durable import durable_env
from .retry import retried_on_conflict
from .text import shortened
