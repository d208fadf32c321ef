"""Writing many rows at once: inserts by PostgreSQL's COPY where it is the database, `bulk_create` elsewhere;
updates grouped by their new values; building rows in Python without the cycle collector's rescans."""

import gc
import json
from collections import defaultdict
from contextlib import contextmanager

from django.db import connections, router
from django.utils import timezone


@contextmanager
def without_cycle_collection():
    """For work that builds hundreds of thousands of small containers (rows, tuples, sets): Python's cycle
    collector would run again and again over every live object as they pile up, though they hold no cycles
    and reference counting frees them. Usable as a decorator; the collector is as it was afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def insert_rows(model, rows: list[dict], *, batch_size: int = 2000) -> None:
    """Insert new rows given as {attname: value}, without building model instances (imports of a million
    rows). The model's defaults fill the fields a row leaves out (`auto_now`/`auto_now_add` set now), and
    each dict gets its primary key: afterwards every dict holds the whole row as stored. PostgreSQL: COPY;
    elsewhere `bulk_create`. Values must be what the fields hold (str, int, Decimal, date …); no signals."""
    if not rows:
        return
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    now = timezone.now()
    for field in meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for row in rows:
                row[field.attname] = now
        elif any(field.attname not in row for row in rows):
            per_row = field.has_default() and callable(field.default)  # a new public id, a new list …
            default = field.get_default if per_row else _constant(field.get_default())
            for row in rows:
                if field.attname not in row:
                    row[field.attname] = default()
    if connection.vendor != "postgresql":
        objs = model._default_manager.bulk_create([model(**row) for row in rows], batch_size=batch_size)
        for row, obj in zip(rows, objs, strict=True):  # the key, and what pre_save set (auto_now …)
            row.update((field.attname, getattr(obj, field.attname)) for field in meta.concrete_fields)
        return
    _draw_keys(connection, model, rows)
    prepared = [
        (field.attname, _json_text(field) if field.get_internal_type() == "JSONField" else None)
        for field in meta.concrete_fields
    ]
    _copy(
        connection,
        model,
        ([row[name] if text is None else text(row[name]) for name, text in prepared] for row in rows),
    )


def _json_text(field):
    """A JSON field's values as the JSON text COPY reads, as Django writes them (the field's encoder). The same
    object in many rows (a list of reasons shared by thousands) is written once."""
    written: dict[int, tuple[object, str]] = {}

    def text(value):
        if value is None:
            return None
        if id(value) not in written:  # the value is kept with its text, so its id is not reused meanwhile
            written[id(value)] = (value, json.dumps(value, cls=field.encoder))
        return written[id(value)][1]

    return text


def _constant(value):
    """A function that returns `value` (a default computed once for all rows; Django's checks keep
    constant defaults immutable)."""
    return lambda: value


def _draw_keys(connection, model, rows: list[dict]) -> None:
    """Give the rows without a primary key one from the table's sequence (PostgreSQL)."""
    pk = model._meta.pk
    missing = [row for row in rows if row.get(pk.attname) is None]
    if not missing:
        return
    with connection.cursor() as cursor:
        sequence = _sequence(cursor, model._meta.db_table, pk.column)
        # A constant sequence: pg_get_serial_sequence() per key would cost ten times nextval() itself
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(missing)])
        for row, (key,) in zip(missing, cursor.fetchall(), strict=True):
            row[pk.attname] = key


_sequences: dict[tuple[str, str, str], str] = {}


def _sequence(cursor, table: str, column: str) -> str:
    """The sequence behind a table's key, looked up once per process and database."""
    key = (cursor.db.alias, table, column)
    if key not in _sequences:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        _sequences[key] = cursor.fetchone()[0]
    return _sequences[key]


def _copy(connection, model, values) -> None:
    """COPY rows of values (one per concrete field, in order) into the model's table (PostgreSQL)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    # Raw psycopg under Django's cursor: wrapped so that failures are Django's IntegrityError and kin
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)


def chunked(items, size: int = 5000):
    """`items` (a sequence) in lists of at most `size`: for `pk__in` filters within SQLite's variable limit."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def update_grouped(model, objs, fields: list[str]) -> None:
    """Save `fields` of many instances as one UPDATE per distinct combination of their values (far cheaper
    than `bulk_update`'s CASE per row when many rows share their new values, as in a batch)."""
    groups = defaultdict(list)
    for obj in objs:
        groups[tuple(getattr(obj, f) for f in fields)].append(obj.pk)
    for values, pks in groups.items():
        for part in chunked(pks):
            model._base_manager.filter(pk__in=part).update(**dict(zip(fields, values, strict=True)))
