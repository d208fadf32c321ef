"""Control orders and recalls: holders from the forward trace, acknowledgement and reports, the 24-hour clock
(round the clock, not working days), closure when every holder is accounted for, and who sees what."""

import datetime
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from shian.core.models import LedgerEntry, Notification
from shian.core.tests.factories import BusinessUserFactory
from shian.core.ticks import tick
from shian.registry.tests.factories import MembershipFactory
from shian.trace.choices import ControlKind, HolderStatus
from shian.trace.models import ControlOrder, Lot
from shian.trace.services import control_acknowledge, control_close, control_order_open, control_report

from .conftest import CATERER, PORK, SAUSAGE, SLICED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def staff(sites):
    """An officer of each business on the platform."""
    people = {}
    for key, site in sites.items():
        people[key] = BusinessUserFactory(username=f"{key}-officer")
        MembershipFactory(user=people[key], operator=site.operator)
    return people


@pytest.fixture
def order(chain, inspector, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # holders are told once the order is stored
        return control_order_open(
            by=inspector, lots=[Lot.objects.get(identifier=PORK)], source="failed_sample", reason="猪肉检出瘦肉精"
        )


def holdings(order) -> dict:
    return {(h.location.name, h.lot.identifier): (h.expected, h.in_transit) for h in order.holders.all()}


def test_an_order_lists_every_place_still_holding_the_lot_or_what_was_made_of_it(order):
    assert holdings(order) == {
        (CATERER, PORK): (Decimal(400), True),  # shipped, not yet received
        ("吴中农贸市场", SAUSAGE): (Decimal(200), False),  # 300 came on the pallet, 100 sold
        ("吴中超市", SLICED): (Decimal(190), False),  # the sausage re-packed
    }
    assert order.number == f"GK-320508-{timezone.localdate().year}-0001"
    assert order.kind == ControlKind.CONTROL


def test_the_clock_is_24_hours_round_the_clock(chain, inspector, staff):
    saturday_evening = datetime.datetime(2026, 3, 7, 20, 0, tzinfo=datetime.UTC)
    with time_machine.travel(saturday_evening, tick=False):
        order = control_order_open(by=inspector, lots=[Lot.objects.get(identifier=PORK)], source="finding", reason="x")
    assert order.due_at == saturday_evening + datetime.timedelta(hours=24)  # Sunday evening: no working days


def test_holders_are_told_at_once_and_the_opening_is_on_the_ledger(order, staff):
    told = set(Notification.objects.filter(kind="trace.control.opened").values_list("recipient__username", flat=True))
    assert {"market-officer", "retailer-officer"} <= told
    assert "processor-officer" not in told  # it holds nothing any more
    entry = LedgerEntry.objects.get(kind="trace.control.open")
    assert entry.payload["number"] == order.number and entry.payload["holders"] == 3


def test_a_holder_acknowledges_and_reports_for_itself_only(order, staff):
    market = order.holders.get(location__name="吴中农贸市场")
    with pytest.raises(ValidationError):
        control_acknowledge(holder=market, by=staff["retailer"])
    control_acknowledge(holder=market, by=staff["market"])
    market.refresh_from_db()
    assert market.status == HolderStatus.ACKNOWLEDGED and market.acknowledged_by == staff["market"]

    with pytest.raises(ValidationError, match="200"):
        control_report(holder=market, by=staff["market"], sealed=Decimal(500), returned=0, destroyed=0)
    control_report(holder=market, by=staff["market"], sealed=Decimal(150), returned=Decimal(50), destroyed=0)
    market.refresh_from_db()
    assert (market.status, market.accounted, market.unaccounted) == (HolderStatus.REPORTED, 200, 0)


def test_the_order_closes_only_when_every_holder_is_accounted_for(order, staff, inspector):
    with pytest.raises(ValidationError, match="吴中农贸市场"):
        control_close(order=order, by=inspector)
    market = order.holders.get(location__name="吴中农贸市场")
    retailer = order.holders.get(location__name="吴中超市")
    caterer = order.holders.get(location__name=CATERER)
    control_report(holder=market, by=staff["market"], sealed=Decimal(200), returned=0, destroyed=0)
    control_report(holder=retailer, by=staff["retailer"], sealed=0, returned=0, destroyed=Decimal(100))
    control_report(holder=caterer, by=inspector, sealed=0, returned=Decimal(400), destroyed=0)  # off the platform
    with pytest.raises(ValidationError, match="吴中超市"):  # 90 of its 190 not accounted for
        control_close(order=order, by=inspector)
    control_report(
        holder=retailer, by=staff["retailer"], sealed=0, returned=0, destroyed=Decimal(100), sold=Decimal(90)
    )
    control_close(order=order, by=inspector, note="全部控制")
    order.refresh_from_db()
    assert order.status == "closed"
    assert LedgerEntry.objects.get(kind="trace.control.close").payload["totals"]["destroyed"] == "100.000000"


def test_the_closure_report_names_every_holder(order, tmp_path):
    from shian.trace.documents import closure_report_pdf

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(closure_report_pdf(order))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert order.number in text and "吴中农贸市场" in text and "进行中" in text


def test_holders_are_reminded_halfway_and_the_bureau_told_when_the_clock_runs_out(
    order, staff, inspector, django_capture_on_commit_callbacks
):
    control_acknowledge(holder=order.holders.get(location__name="吴中超市"), by=staff["retailer"])
    early = time_machine.travel(order.opened_at + datetime.timedelta(hours=11), tick=False)
    with early, django_capture_on_commit_callbacks(execute=True):
        tick()
    assert not Notification.objects.filter(kind="trace.control_reminder").exists()  # not halfway yet
    halfway = time_machine.travel(order.opened_at + datetime.timedelta(hours=13), tick=False)
    with halfway, django_capture_on_commit_callbacks(execute=True):
        tick()
        tick()
    reminded = Notification.objects.filter(kind="trace.control_reminder")
    assert list(reminded.values_list("recipient__username", flat=True)) == ["market-officer"]
    late = time_machine.travel(order.opened_at + datetime.timedelta(hours=25), tick=False)
    with late, django_capture_on_commit_callbacks(execute=True):
        tick()
    overdue = Notification.objects.get(kind="trace.control_overdue", recipient=inspector)
    assert "吴中农贸市场" in overdue.body and "吴中超市" not in overdue.body


def test_a_producer_recalls_its_own_lots_and_no_one_elses(chain, staff, sites):
    sausage = Lot.objects.get(identifier=SAUSAGE)
    recall = control_order_open(
        by=staff["processor"],
        lots=[sausage],
        source="producer",
        reason="标签错误",
        producer=sites["processor"].operator,
    )
    assert recall.kind == ControlKind.RECALL and recall.number.startswith("ZH-320508-")
    assert {h.location.name for h in recall.holders.all()} == {"吴中农贸市场", "吴中超市"}
    with pytest.raises(ValidationError):
        control_order_open(
            by=staff["market"], lots=[sausage], source="producer", reason="x", producer=sites["processor"].operator
        )


def test_who_sees_an_order(order, staff, other_county_inspector, inspector):
    assert ControlOrder.objects.visible_to(inspector).filter(pk=order.pk).exists()
    assert not ControlOrder.objects.visible_to(other_county_inspector).filter(pk=order.pk).exists()
    assert ControlOrder.objects.visible_to(staff["market"]).filter(pk=order.pk).exists()  # a holder
    assert not ControlOrder.objects.visible_to(staff["wholesaler"]).filter(pk=order.pk).exists()  # holds nothing


def test_the_bureau_answers_only_for_holders_off_the_platform(order, inspector):
    market = order.holders.get(location__name="吴中农贸市场")
    with pytest.raises(ValidationError):
        control_acknowledge(holder=market, by=inspector)  # its own staff must
    caterer = order.holders.get(location__name=CATERER)
    assert control_acknowledge(holder=caterer, by=inspector).status == HolderStatus.ACKNOWLEDGED
