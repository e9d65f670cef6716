from .durable import durable_env
from .text import shortened
