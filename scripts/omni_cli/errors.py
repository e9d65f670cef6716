class SetupError(Exception):
    """The machine is not ready: the message says what to do."""
