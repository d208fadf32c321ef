"""Property tests of traces over generated supply chains: forward and backward are inverse and find exactly
the lots the transformations connect; quantities are conserved across holders."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shian.trace.models import Lot
from shian.trace.selectors import trace_of
from shian.trace.services import epcis_capture

from .builders import document, event, lot

pytestmark = pytest.mark.django_db
PLACES = [f"urn:epc:id:sgln:6900001.{n:05d}.0" for n in range(1, 6)]


def lot_id(n: int) -> str:
    return lot(f"{69000010000000 + n}", f"L{n}")


@st.composite
def graphs(draw):
    """Lots 0..n-1; each later lot may be made from a non-empty set of earlier ones."""
    n = draw(st.integers(min_value=2, max_value=7))
    edges = {}
    for target in range(1, n):
        if draw(st.booleans()):
            edges[target] = draw(st.sets(st.integers(min_value=0, max_value=target - 1), min_size=1, max_size=3))
    return n, edges


def reachable(start: int, step) -> set[int]:
    seen, frontier = {start}, [start]
    while frontier:
        frontier = [b for a in frontier for b in step(a) if b not in seen]
        seen.update(frontier)
    return seen


def captured(events: list[dict]) -> None:
    assert epcis_capture(document=document(*events), by=None).ok


quick = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@quick
@given(graphs())
def test_forward_and_backward_are_inverse_and_exact(db, graph):
    n, edges = graph
    with transaction.atomic():
        made = "2026-03-01T06:00:00+08:00"
        events = [event("commissioning", made, action="ADD", at=PLACES[0], lots=[(lot_id(k), 10)]) for k in range(n)]
        for target, sources in edges.items():
            events.append(
                event("commissioning", f"2026-03-02T{target:02d}:00:00+08:00", kind="TransformationEvent",
                      at=PLACES[1], inputs=[(lot_id(s), 1) for s in sorted(sources)], outputs=[(lot_id(target), 1)])
            )  # fmt: skip
        captured(events)
        ids = {k: Lot.objects.get(identifier=lot_id(k)).pk for k in range(n)}
        back = {k: {lot["id"] for lot in trace_of(lots=[ids[k]], directions=("backward",)).lots.values()} for k in ids}
        fwd = {k: {lot["id"] for lot in trace_of(lots=[ids[k]], directions=("forward",)).lots.values()} for k in ids}
        for a in ids:
            expected_up = reachable(a, lambda x: edges.get(x, set()))
            expected_down = reachable(a, lambda x: {t for t, s in edges.items() if x in s})
            assert back[a] == {ids[k] for k in expected_up}
            assert fwd[a] == {ids[k] for k in expected_down}
            for b in ids:
                assert (ids[b] in fwd[a]) == (ids[a] in back[b])
        transaction.set_rollback(True)


@quick
@given(
    total=st.integers(min_value=10, max_value=1000),
    shipments=st.lists(
        st.tuples(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=30), st.booleans(),
                  st.integers(min_value=0, max_value=30)),
        min_size=1, max_size=6,
    ),
)  # fmt: skip
def test_what_was_made_is_on_hand_somewhere_on_its_way_or_sold(db, total, shipments):
    """Shipped from the maker to holders (received or still on the way), partly sold: on hand everywhere plus
    sold is what was made, whatever the splits."""
    with transaction.atomic():
        made, events, sold, left = lot_id(0), [], 0, total
        events.append(
            event("commissioning", "2026-03-01T06:00:00+08:00", action="ADD", at=PLACES[0], lots=[(made, total)])
        )
        for n, (place, quantity, arrives, sells) in enumerate(shipments):
            quantity = min(quantity, left)
            if quantity == 0:
                continue
            left -= quantity
            when = f"2026-03-02T{n:02d}:00:00+08:00"
            events.append(event("shipping", when, at=PLACES[0], lots=[(made, quantity)], destination=PLACES[place]))
            if arrives:
                arrived = f"2026-03-03T{n:02d}:00:00+08:00"
                events.append(event("receiving", arrived, at=PLACES[place], lots=[(made, quantity)]))
                selling = min(sells, quantity)
                if selling:
                    events.append(event("retail_selling", f"2026-03-04T{n:02d}:00:00+08:00", at=PLACES[place],
                                        lots=[(made, selling)]))  # fmt: skip
                    sold += selling
        captured(events)
        trace = trace_of(lots=[Lot.objects.get(identifier=made).pk], directions=("forward",))
        on_hand = sum((h["on_hand"] for h in trace.holders if h["on_hand"] > 0), Decimal(0))
        assert on_hand + sold == total
        transaction.set_rollback(True)
