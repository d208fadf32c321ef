"""The SQL of a trace (portable: PostgreSQL and SQLite both walk a graph with WITH RECURSIVE). A trace is three
round trips: the lots reached with their hop counts, the lot links among them, and every item of every event
of those lots with its event and places, in time order. On PostgreSQL the lists go in as arrays, so that each
query's text is always the same and runs as a prepared statement: planning these joins costs more than
running them."""

import datetime
import json
from decimal import Decimal

import psycopg
from django.db import connection
from django.utils.dateparse import parse_datetime

MAX_HOPS = 64
FORWARD, BACKWARD = "forward", "backward"
_STEP = {BACKWARD: ("source_id", "target_id"), FORWARD: ("target_id", "source_id")}


def _in(column: str, values: list) -> tuple[str, list]:
    """`column IN values` as SQL and its parameters."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _fetch(sql: str, params: list) -> list[tuple]:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:  # server-side binding: a prepared statement
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def reached_lots(start: list[int], directions: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(lot id, hops, direction) of every lot reached; a lot reached both ways comes once per direction."""
    walks, selects, params = [], [], []
    first = "SELECT unnest(%s::bigint[]), 0" if connection.vendor == "postgresql" else None
    for direction in directions:
        step, along = _STEP[direction]
        if first is None:
            condition, first_params = _in("id", start)
            seed = f"SELECT id, 0 FROM trace_lot WHERE {condition}"
        else:
            seed, first_params = first, [list(start)]
        walks.append(
            f"{direction}(lot_id, hops) AS ({seed}"
            f" UNION SELECT l.{step}, w.hops + 1 FROM trace_lotlink l JOIN {direction} w ON l.{along} = w.lot_id"
            f" WHERE w.hops < %s)"
        )
        params += [*first_params, MAX_HOPS]
        selects.append(f"SELECT lot_id, MIN(hops), '{direction}' FROM {direction} GROUP BY lot_id")
    return _fetch(f"WITH RECURSIVE {', '.join(walks)} {' UNION ALL '.join(selects)}", params)


def links_among(lots: list[int]) -> list[tuple[int, int, int]]:
    if not lots:
        return []
    sources, source_params = _in("source_id", lots)
    targets, target_params = _in("target_id", lots)
    sql = f"SELECT source_id, target_id, event_id FROM trace_lotlink WHERE {sources} AND {targets}"
    return _fetch(sql, [*source_params, *target_params])


ITEM_COLUMNS = (
    "event",
    "role",
    "lot",
    "lot_identifier",
    "lot_code",
    "product",
    "gtin",
    "code",
    "quantity",
    "unit",
    "event_id",
    "type",
    "action",
    "time",
    "biz_step",
    "disposition",
    "documents",
    "region_code",
    "operator",
    "location_id",
    "location",
    "region",
    "source",
    "destination_id",
    "destination",
)


_TIME, _QUANTITY, _DOCUMENTS = (ITEM_COLUMNS.index(key) for key in ("time", "quantity", "documents"))


def event_items(lots: list[int], codes: list[int]) -> list[tuple]:
    """Every item of the events that name these lots or codes, with its event (columns: ITEM_COLUMNS)."""
    where, params = [], []
    for column, values in (("i.lot_id", lots), ("i.code_id", codes)):
        if values:
            condition, values_params = _in(column, values)
            where.append(condition)
            params += values_params
    if not where:
        return []
    sql = (
        "SELECT i.event_id, i.role, i.lot_id, lot.identifier, lot.lot_code, p.name, p.gtin, c.code, i.quantity,"
        " i.unit, e.event_id, e.kind, e.action,"
        " e.event_time, e.biz_step, e.disposition, e.documents, e.region_id, e.operator_id, e.biz_location_id,"
        " bl.name, reg.name, src.name, e.destination_id, dst.name"
        " FROM trace_eventitem i JOIN trace_traceevent e ON e.id = i.event_id"
        " LEFT JOIN trace_lot lot ON lot.id = i.lot_id LEFT JOIN trace_product p ON p.id = lot.product_id"
        " LEFT JOIN trace_tracecode c ON c.id = i.code_id"
        " LEFT JOIN trace_location bl ON bl.id = e.biz_location_id"
        " LEFT JOIN core_region reg ON reg.code = bl.region_id"
        " LEFT JOIN trace_location src ON src.id = e.source_id"
        " LEFT JOIN trace_location dst ON dst.id = e.destination_id"
        f" WHERE {' OR '.join(where)} ORDER BY e.event_time, e.id, i.id"
    )
    return [_typed(row) for row in _fetch(sql, params)]


def _typed(row: tuple) -> tuple:
    """Times, quantities and documents as Python values (SQLite hands back text and floats, and JSON comes as
    text from both)."""
    row = list(row)
    time = parse_datetime(row[_TIME]) if isinstance(row[_TIME], str) else row[_TIME]
    row[_TIME] = time.replace(tzinfo=datetime.UTC) if time.tzinfo is None else time
    row[_QUANTITY] = None if row[_QUANTITY] is None else Decimal(str(row[_QUANTITY]))
    row[_DOCUMENTS] = json.loads(row[_DOCUMENTS]) if isinstance(row[_DOCUMENTS], str) else row[_DOCUMENTS]
    return tuple(row)
