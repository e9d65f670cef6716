"""Scheduled batches that let the work coming in one piece at a time gather first."""

import time


def window_left(window, waited):
    """Seconds left of a gathering ``window`` (seconds) once the oldest piece of work
    has waited ``waited`` seconds."""
    return min(max(window - waited, 0), window)


def let_gather(env, wait):
    """Roll back and sleep ``wait`` seconds, so that the batch goes on with a new
    snapshot that sees what came in meanwhile. Nothing may have been written before."""
    if wait:
        env.cr.rollback()
        time.sleep(wait)
