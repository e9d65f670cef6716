from .durable import durable_env
