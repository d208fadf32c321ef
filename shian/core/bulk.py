"""Inserting many new rows at once: PostgreSQL's COPY where it is the database, `bulk_create` elsewhere."""

from django.db import connections, router


def bulk_insert(model, objs: list, *, batch_size: int = 2000) -> None:
    """Insert new, unsaved objects. On PostgreSQL the rows go through COPY (several times faster than INSERT
    for imports); their primary keys are drawn from the table's sequence first, so afterwards every object
    has its pk, as after `bulk_create`. Field defaults and `auto_now_add` apply; signals are not sent."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    fields = meta.concrete_fields
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        missing = [obj for obj in objs if getattr(obj, meta.pk.attname) is None]
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(missing)],
            )
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                setattr(obj, meta.pk.attname, pk)
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields])
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
