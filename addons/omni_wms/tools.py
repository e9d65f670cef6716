"""Set-based writes the ORM would otherwise issue record by record."""

from odoo.tools import SQL


def bulk_update(records, columns):
    """Write different values on each record of ``records`` in one UPDATE.

    ``columns`` maps stored, non-relational-to-many field names to a list of values, one
    per record of ``records`` in the same order. Callers check access rights first: the
    UPDATE does not. The cache is invalidated and dependent fields are marked modified.
    """
    if not records:
        return
    fnames = list(columns)
    records.flush_recordset(fnames)
    fields = [records._fields[fname] for fname in fnames]
    arrays = [SQL("%s::int4[]", list(records.ids))] + [
        SQL("%s::%s[]", list(columns[field.name]), SQL(field.column_type[1])) for field in fields
    ]
    records.env.cr.execute(
        SQL(
            "UPDATE %(table)s AS target SET %(assignments)s, write_uid = %(uid)s, "
            "write_date = %(now)s FROM unnest(%(arrays)s) AS source(id, %(names)s) "
            "WHERE target.id = source.id",
            table=SQL.identifier(records._table),
            assignments=SQL(", ").join(
                SQL("%s = source.%s", SQL.identifier(fname), SQL.identifier(fname))
                for fname in fnames
            ),
            uid=records.env.uid,
            now=records.env.cr.now(),
            arrays=SQL(", ").join(arrays),
            names=SQL(", ").join(SQL.identifier(fname) for fname in fnames),
        )
    )
    records.invalidate_recordset([*fnames, "write_uid", "write_date"])
    records.modified(fnames)
