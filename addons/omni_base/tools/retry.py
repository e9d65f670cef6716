"""Background work taken again on a new snapshot when it conflicts with another
transaction."""

import logging
import random
import time

from psycopg2 import errors as pg_errors

_logger = logging.getLogger(__name__)

# Transient conflicts with another transaction working on the same rows
CONFLICTS = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected)


def retried_on_conflict(env, work, label, tries=5, pause=0.02):
    """Run ``work()`` and flush it in ``env``'s transaction; on a conflict with another
    transaction, roll back and run it again on a new snapshot after a random pause of
    up to ``pause`` seconds per attempt made. The conflict of the last of ``tries``
    attempts is raised. Return what ``work`` returned."""
    for attempt in range(1, tries + 1):
        try:
            result = work()
            env.flush_all()
            return result
        except CONFLICTS as error:
            env.cr.rollback()
            _logger.info(
                "%s: batch rolled back (%s), attempt %s of %s",
                label,
                type(error).__name__,
                attempt,
                tries,
            )
            if attempt == tries:
                raise
            time.sleep(random.uniform(0, pause * attempt))
