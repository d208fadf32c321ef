import pytest
from django.db.models import CharField, DateField, F, Value

from shian.registry.models import Operator
from shian.risk import sources
from shian.risk.models import RuleSet
from shian.risk.rules import RiskEvent
from shian.risk.services import ruleset_load

from .shipped import shipped_bytes


@pytest.fixture
def cn2016(db) -> RuleSet:
    return ruleset_load(content=shipped_bytes("cn-2016"))[0]


@pytest.fixture
def cn2022(db) -> RuleSet:
    return ruleset_load(content=shipped_bytes("cn-2022"))[0]


@pytest.fixture
def record(monkeypatch):
    """Risk events of a fake supervision record, through the providers' interface (`sources.event_source`)."""
    sources._discover()  # the real providers first, so that the list patched below is complete
    events: list[RiskEvent] = []
    monkeypatch.setattr(sources, "_events", [*sources._events, lambda: [_recorded(e) for e in events]])
    return events


def _recorded(event: RiskEvent):
    """One event as a provider's query: a row of constants for its operator."""
    return Operator.objects.filter(pk=event.operator_id).annotate(
        operator_id=F("id"),
        event=Value(event.kind, CharField()),
        on=Value(event.on, DateField()),
        label=Value(event.label, CharField()),
        ref=Value(event.ref, CharField()),
    )
