"""Where grading reads the supervision record. Other modules own that record (inspections, samples, penalties),
so they register queries here rather than risk importing them, in a module named `risk_sources.py`:

    # shian/inspection/risk_sources.py
    from shian.risk.sources import DynamicQueries, dynamic_source, event_source

    @dynamic_source
    def full_inspections() -> DynamicQueries: ...

    @event_source
    def inspection_events() -> list[QuerySet]: ...

A provider answers with querysets over every operator, never one per operator: a grading of a few operators
filters them (`latest_inspections`, `events_since`), and a bulk regrade on PostgreSQL runs them inside one
statement (`dynamic_sql`, `events_sql`). Their columns, by name:

- dynamic bases: `operator_id`, `basis_id`, `at` (which is newest), `on` (local date), `failed_points`,
  `applicable_points`, `may_have_failed` (false when the basis surely failed no item: its failed items are not
  looked up); failed items: `basis_id`, `code`, `text`, `points`, `order`;
- events: `operator_id`, `event` (its kind), `on` (local date), `label`, `ref`.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

from .rules import InspectionBasis, RiskEvent

BASIS_COLUMNS = ("operator_id", "basis_id", "at", "on", "failed_points", "applicable_points", "may_have_failed")
ITEM_COLUMNS = ("basis_id", "code", "text", "points", "order")
EVENT_COLUMNS = ("operator_id", "event", "on", "label", "ref")


@dataclass(frozen=True)
class DynamicQueries:
    """What the dynamic score reads: candidate full inspections (the newest per operator counts) and the
    checklist items each failed."""

    bases: QuerySet
    failed_items: QuerySet


_dynamic: list[Callable[[], DynamicQueries]] = []
_events: list[Callable[[], list[QuerySet]]] = []
_discovered = False


def dynamic_source(provider):
    _dynamic.append(provider)
    return provider


def event_source(provider):
    _events.append(provider)
    return provider


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("risk_sources")
        _discovered = True


def _dynamic_queries() -> list[DynamicQueries]:
    _discover()
    return [provider() for provider in _dynamic]


def _event_queries() -> list[QuerySet]:
    _discover()
    return [query for provider in _events for query in provider()]


def latest_inspections(operator_ids: list[int]) -> dict[int, InspectionBasis]:
    """Each operator's latest full inspection (the newest across providers: latest `at`, then highest id)."""
    providers = _dynamic_queries()
    found: dict[int, tuple[int, dict]] = {}
    for index, queries in enumerate(providers):
        for row in queries.bases.filter(operator_id__any_of=operator_ids).values(*BASIS_COLUMNS):
            known = found.get(row["operator_id"])
            if known is None or (row["at"], row["basis_id"]) > (known[1]["at"], known[1]["basis_id"]):
                found[row["operator_id"]] = (index, row)
    items: dict[tuple[int, int], list] = defaultdict(list)
    for index, queries in enumerate(providers):
        ids = [row["basis_id"] for i, row in found.values() if i == index and row["may_have_failed"]]
        rows = queries.failed_items.filter(basis_id__any_of=ids).order_by("order", "code").values_list(*ITEM_COLUMNS)
        for basis_id, code, text, points, _order in rows:
            items[index, basis_id].append((code, text, points))
    return {
        operator_id: InspectionBasis(
            inspection_id=row["basis_id"],
            on=row["on"],
            failed_points=row["failed_points"],
            applicable_points=row["applicable_points"],
            failed_items=tuple(items.get((index, row["basis_id"]), ())),
        )
        for operator_id, (index, row) in found.items()
    }


def event_order(event: RiskEvent) -> tuple:
    """The order events are listed in: by date, then reference and kind (the same in `events_sql`)."""
    return event.on, event.ref, event.kind


def events_since(operator_ids: list[int], since: datetime.date) -> dict[int, list[RiskEvent]]:
    """Each operator's risk events on or after `since`, in `event_order`."""
    found: dict[int, list[RiskEvent]] = defaultdict(list)
    for query in _event_queries():
        for operator_id, kind, on, label, ref in query.filter(
            operator_id__any_of=operator_ids, on__gte=since
        ).values_list(*EVENT_COLUMNS):
            found[operator_id].append(RiskEvent(operator_id, kind, on, label or "", ref or ""))
    for events in found.values():
        events.sort(key=event_order)
    return found


def _union(queries: list[QuerySet], columns: tuple[str, ...], tag: bool = False) -> tuple[str, list]:
    """The SQL of querysets as one UNION ALL selecting `columns` by name (and the provider's index as `source`
    when `tag`)."""
    parts, params = [], []
    select = ", ".join(f'q."{c}"' for c in columns)
    for index, query in enumerate(queries):
        sql, query_params = query.order_by().values(*columns).query.sql_with_params()
        source = f", {index} AS source" if tag else ""
        parts.append(f"SELECT {select}{source} FROM ({sql}) q")
        params.extend(query_params)
    return " UNION ALL ".join(parts), params


def dynamic_sql() -> tuple[str, list, str, list] | None:
    """The bases and failed items of every provider as SQL (with `source`, the provider's index), or None when
    no provider is registered."""
    queries = _dynamic_queries()
    if not queries:
        return None
    bases, bases_params = _union([q.bases for q in queries], BASIS_COLUMNS, tag=True)
    items, items_params = _union([q.failed_items for q in queries], ITEM_COLUMNS, tag=True)
    return bases, bases_params, items, items_params


def events_sql() -> tuple[str, list] | None:
    """Every provider's events as one SQL union, or None when no provider is registered."""
    queries = _event_queries()
    return _union(queries, EVENT_COLUMNS) if queries else None
