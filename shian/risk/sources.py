"""Where grading reads the supervision record. Other modules own that record (inspections, samples, penalties),
so they register providers here rather than risk importing them, in a module named `risk_sources.py`:

    # shian/inspection/risk_sources.py
    from shian.risk.sources import dynamic_source, event_source

    @dynamic_source
    def latest_full_inspections(operator_ids) -> dict[int, InspectionBasis]: ...

    @event_source
    def inspection_events(operator_ids, since) -> Iterable[RiskEvent]: ...

`operator_ids` is a list of ids (a bulk regrade passes thousands at a time): a provider answers for all of
them in a few queries, never one per operator.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.utils.module_loading import autodiscover_modules

from .rules import InspectionBasis, RiskEvent

_dynamic: list[Callable[[list[int]], dict[int, InspectionBasis]]] = []
_events: list[Callable[[list[int], datetime.date], Iterable[RiskEvent]]] = []
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


def latest_inspections(operator_ids: list[int]) -> dict[int, InspectionBasis]:
    """Each operator's latest full inspection (the newest across providers)."""
    _discover()
    found: dict[int, InspectionBasis] = {}
    for provider in _dynamic:
        for operator_id, basis in provider(operator_ids).items():
            if operator_id not in found or basis.on > found[operator_id].on:
                found[operator_id] = basis
    return found


def events_since(operator_ids: list[int], since: datetime.date) -> dict[int, list[RiskEvent]]:
    """Each operator's risk events on or after `since`, oldest first."""
    _discover()
    found: dict[int, list[RiskEvent]] = defaultdict(list)
    for provider in _events:
        for event in provider(operator_ids, since):
            found[event.operator_id].append(event)
    for events in found.values():
        events.sort(key=lambda e: e.on)
    return found
