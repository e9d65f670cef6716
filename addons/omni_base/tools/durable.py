"""Writes that must outlive the transaction asking for them."""

import contextlib
import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def _committed(env, records):
    """Whether every record of ``records`` (recordsets) is visible from another
    transaction, i.e. was committed."""
    with env.registry.cursor() as cr:
        cr.execute("SET LOCAL lock_timeout = '10s'")
        for recordset in records:
            ids = list(recordset._ids)
            if not ids:
                continue
            cr.execute(
                SQL(
                    "SELECT COUNT(*) FROM %s WHERE id = ANY(%s)",
                    SQL.identifier(recordset._table),
                    ids,
                )
            )
            if cr.fetchone()[0] != len(ids):
                return False
    return True


@contextlib.contextmanager
def durable_env(env, *records):
    """An environment (as superuser) whose writes are committed on exit, on a cursor of
    its own: nothing the current transaction does afterwards, an error or a rollback,
    takes them back.

    The writes may refer to ``records`` only. When one of them was created by the
    current transaction, another transaction cannot see it (and referring to it there
    would wait for this one): the writes then stay in the current transaction, under a
    savepoint.
    """
    if not _committed(env, records):
        _logger.debug("%s not committed yet: durable writes stay in the transaction", records)
        with env.cr.savepoint():
            yield env(su=True)
        return
    with env.registry.cursor() as cr:
        yield env(cr=cr, su=True)
