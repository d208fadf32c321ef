from decimal import Decimal

import pytest

from shian.trace.models import Lot
from shian.trace.selectors import TraceStartError, trace_of, trace_start

from .conftest import PALLET, PORK, SALT, SAUSAGE, SLICED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def lots_of(trace) -> set[str]:
    return {lot["identifier"] for lot in trace.lots.values()}


def traced(identifier: str, *directions, user=None):
    lots, codes = trace_start(identifier)
    return trace_of(lots=lots, codes=codes, directions=directions, user=user)


def test_backward_finds_every_upstream_lot_through_merges_and_re_packing(chain):
    assert lots_of(traced(SLICED, "backward")) == {SLICED, SAUSAGE, PORK, SALT}
    assert lots_of(traced(SAUSAGE, "backward")) == {SAUSAGE, PORK, SALT}
    assert lots_of(traced(PORK, "backward")) == {PORK}


def test_forward_finds_every_downstream_lot_through_splits(chain):
    assert lots_of(traced(PORK, "forward")) == {PORK, SAUSAGE, SLICED}
    assert lots_of(traced(SALT, "forward")) == {SALT, SAUSAGE, SLICED}
    assert lots_of(traced(SLICED, "forward")) == {SLICED}


def test_forward_and_backward_are_inverse(chain):
    every = list(Lot.objects.values_list("identifier", flat=True))
    for a in every:
        downstream = lots_of(traced(a, "forward"))
        for b in every:
            assert (b in downstream) == (a in lots_of(traced(b, "backward"))), (a, b)


def test_hops_count_lot_changes(chain):
    hops = {lot["identifier"]: lot["hops"] for lot in traced(SLICED, "backward").lots.values()}
    assert hops == {SLICED: 0, SAUSAGE: 1, PORK: 2, SALT: 2}


def holdings(trace, identifier):
    lot_id = next(k for k, v in trace.lots.items() if v["identifier"] == identifier)
    return {h["location"]: h for h in trace.holders if h["lot"] == lot_id}


def test_forward_names_every_holder_with_what_it_still_holds(chain, sites):
    trace = traced(PORK, "forward")
    pork = holdings(trace, PORK)
    assert {name: h["on_hand"] for name, h in pork.items() if not h["in_transit"]} == {
        "urn:epc:id:sgln:6901234.00001.0": Decimal(0),  # the farm shipped all 1000 kg
        "姑苏肉制品厂": Decimal(0),  # received 600, all went into sausage
    }
    waiting = [h for h in pork.values() if h["in_transit"]]
    assert [(h["location"], h["on_hand"]) for h in waiting] == [("urn:epc:id:sgln:6901234.00005.0", Decimal(400))]

    sausage = holdings(trace, SAUSAGE)
    assert sausage["姑苏批发部"]["on_hand"] == 0  # shipped on the pallet
    assert sausage["吴中农贸市场"]["on_hand"] == 200  # 300 arrived on the pallet, 100 sold
    assert sausage["吴中农贸市场"]["disposition"] == ""
    assert sausage["吴中超市"]["on_hand"] == 0  # all re-packed
    assert holdings(trace, SLICED)["吴中超市"]["on_hand"] == 190


def test_quantities_conserve_along_the_chain(chain):
    """What left a place arrived somewhere, was used up in a transformation, sold, or is on its way."""
    trace = traced(PORK, "forward")
    pork = [h for h in trace.holders if trace.lots[h["lot"]]["identifier"] == PORK]
    assert sum(h["on_hand"] for h in pork) + 600 == 1000  # 600 went into sausage
    sausage = [h for h in trace.holders if trace.lots[h["lot"]]["identifier"] == SAUSAGE]
    assert sum(h["on_hand"] for h in sausage) + 200 + 100 == 500  # 200 re-packed, 100 sold


def test_a_trace_from_a_pallet_code_follows_what_was_packed_on_it(chain):
    trace = traced(PALLET, "forward")
    assert lots_of(trace) == {SAUSAGE, SLICED}
    pallet = [e for e in trace.events if any(i["code"] == PALLET for i in e["items"])]
    assert [e["biz_step"] for e in pallet] == ["packing", "shipping", "receiving"]
    shipped = pallet[1]["items"]
    assert {(i["role"], i["code"], i["quantity"]) for i in shipped} == {
        ("epc", PALLET, None),
        ("contained", None, Decimal(300)),
    }


def test_events_come_in_time_order_with_their_documents(chain):
    trace = traced(SAUSAGE, "backward")
    times = [e["time"] for e in trace.events]
    assert times == sorted(times)
    received = next(e for e in trace.events if e["biz_step"] == "receiving" and e["location"] == "姑苏肉制品厂")
    assert received["documents"] == [{"type": "desadv", "id": "urn:shian:doc:DA-1"}]


def test_a_county_inspector_sees_the_whole_chain_with_other_counties_quantities_hidden(chain, inspector):
    trace = traced(PORK, "forward", user=inspector)  # 姑苏区
    assert lots_of(trace) == {PORK, SAUSAGE, SLICED}  # the shape of the whole chain
    market = [e for e in trace.events if e["location"] == "吴中农贸市场"]
    assert market and all(not e["visible"] for e in market)
    assert all(i["quantity"] is None for e in market for i in e["items"])
    ours = [e for e in trace.events if e["location"] == "姑苏肉制品厂"]
    assert ours and all(e["visible"] and e["items"][0]["quantity"] is not None for e in ours)
    assert holdings(trace, SAUSAGE)["吴中农贸市场"]["on_hand"] is None


def test_an_unknown_code_is_a_clear_error(db):
    with pytest.raises(TraceStartError, match="XYZ"):
        trace_start("XYZ")


def test_a_lot_is_found_by_its_lgtin_urn_too(chain):
    lots, _ = trace_start("urn:epc:class:lgtin:6901234.000001.F-0301")
    assert Lot.objects.get(pk=lots[0]).identifier == PORK


@pytest.mark.parametrize("text", ["http://[broken", "https://id.gs1.org/01/abc", "   ", "urn:epc:id:sgtin:x"])
def test_anything_that_is_no_known_code_is_a_clear_error(db, text):
    with pytest.raises(TraceStartError):
        trace_start(text)
