"""Figures read once within a step of a transaction and shared by the parts of it that
read them: a confirmation's delivery promise, then its routing, read the same pools'
stock and the same routing rules, and nothing they read changes in between."""

import contextlib
import copy

SHARED_READS_KEY = "omni_oms.shared_reads"


@contextlib.contextmanager
def shared_reads(cr):
    """Within this block, ``shared_read`` reads each key once on ``cr``."""
    if SHARED_READS_KEY in cr.cache:
        yield
        return
    cr.cache[SHARED_READS_KEY] = {}
    try:
        yield
    finally:
        del cr.cache[SHARED_READS_KEY]


def shared_read(cr, key, read):
    """What ``read()`` returns, read once for ``key`` within a ``shared_reads`` block
    of ``cr`` (each caller gets its own copy), every time outside one."""
    reads = cr.cache.get(SHARED_READS_KEY)
    if reads is None:
        return read()
    if key not in reads:
        reads[key] = read()
    return copy.copy(reads[key])
