"""The operator's file (一企一档) timeline shows inspection results and every step of a rectification order, to
those who may see the operator's inspections, newest first."""

import pytest
from django.urls import reverse

from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.inspection.choices import RectificationKind, Result
from shian.inspection.services import (
    inspection_answer,
    inspection_finish,
    inspection_start,
    rectification_issue,
    rectification_submit,
    rectification_verify,
)
from shian.registry.timeline import operator_timeline

pytestmark = pytest.mark.django_db

LOOP = [
    "rectification.closed",
    "rectification.submitted",
    "rectification.returned",
    "rectification.submitted",
    "rectification.open",
    "inspection.finished",
]


@pytest.fixture
def history(checklists, inspectors, operator, owner, photo_of):
    """A 基本符合 inspection with one failed general item, its order reported, returned, reported and closed."""
    inspector = inspectors[0]
    inspection = inspection_start(operator=operator, by=inspector, inspectors=[inspectors[1]])
    answers = list(inspection.answers.select_related("item", "inspection"))
    general = next(a for a in answers if not a.item.key)
    for answer in answers:
        inspection_answer(answer=answer, by=inspector, outcome="no" if answer == general else "yes")
    inspection = inspection_finish(
        inspection=inspection,
        by=inspector,
        signed_by="张老板",
        signature="data:image/png;base64,iVBORw0KGgo=",
        summary="后厨地面有积水",
    )
    order = rectification_issue(
        inspection=inspection,
        by=inspector,
        kind=RectificationKind.DEADLINE,
        answers=[inspection.answers.get(pk=general.pk)],
        requirement="三个工作日内完成清洁消毒",
        working_days=3,
    )
    photo_of(owner, operator, subject=order)
    order = rectification_submit(order=order, by=owner, response="已清洁")
    order = rectification_verify(order=order, by=inspector, accepted=False, reason="照片看不清")
    photo_of(owner, operator, subject=order)
    order = rectification_submit(order=order, by=owner, response="重新清洁")
    order = rectification_verify(order=order, by=inspector, accepted=True)
    return inspection, order


def inspection_events(operator, user, limit=50):
    """The inspection app's events on the operator's file as `user` sees it (other apps add their own)."""
    page = operator_timeline(operator=operator, user=user, limit=limit)
    return [e for e in page.events if e.kind.split(".")[0] in ("inspection", "rectification")]


def test_the_inspector_sees_the_result_and_every_step_newest_first(history, inspectors, operator):
    inspection, order = history
    events = inspection_events(operator, inspectors[0])
    assert [e.kind for e in events] == LOOP
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    result = events[-1]
    assert result.at == inspection.finished_at
    assert result.url == reverse("inspection-detail", args=[inspection.pk])
    assert result.detail == "后厨地面有积水" and result.colour == "yellow"
    assert inspection.result == Result.BASIC
    steps = events[:-1]
    assert {e.url for e in steps} == {reverse("rectification-detail", args=[order.pk])}
    assert [e.at for e in steps] == [s.at for s in order.steps.order_by("-at", "-id")]
    returned = events[2]
    assert "照片看不清" in returned.detail and returned.colour == "orange"
    assert "三个工作日内完成清洁消毒" in events[4].detail


def test_the_second_inspector_and_the_business_owner_see_them_too(history, inspectors, operator, owner):
    assert [e.kind for e in inspection_events(operator, inspectors[1])] == LOOP
    assert [e.kind for e in inspection_events(operator, owner)] == LOOP


def test_the_timeline_pages_through_the_events(history, inspectors, operator):
    everything = operator_timeline(operator=operator, user=inspectors[0], limit=50).events
    first = operator_timeline(operator=operator, user=inspectors[0], offset=0, limit=2)
    second = operator_timeline(operator=operator, user=inspectors[0], offset=first.next_offset, limit=50)
    assert first.has_more and not second.has_more
    assert first.events + second.events == everything


def test_an_inspector_of_another_county_and_another_business_see_none_of_them(history, operator):
    elsewhere = RegulatorFactory(username="wuzhong", agency=AgencyFactory(region=region("320506")))
    stranger = BusinessUserFactory(username="stranger")
    assert inspection_events(operator, elsewhere) == []
    assert inspection_events(operator, stranger) == []


def test_an_unfinished_inspection_is_not_on_the_timeline(checklists, inspectors, operator):
    inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    assert inspection_events(operator, inspectors[0]) == []


def test_the_file_page_shows_the_inspection_card_and_the_events(client, history, inspectors, operator):
    client.force_login(inspectors[0])
    response = client.get(reverse("operator-detail", args=[operator.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="file-inspections"' in page
    assert 'data-kind="inspection.finished"' in page
    assert page.count('data-kind="rectification.submitted"') == 2
    assert 'data-kind="rectification.closed"' in page
    # the order is closed: no open order is listed on the card
    assert 'data-testid="file-open-order"' not in page


def test_the_file_page_is_not_found_for_an_inspector_of_another_county(client, history, operator):
    client.force_login(RegulatorFactory(username="wuzhong", agency=AgencyFactory(region=region("320506"))))
    assert client.get(reverse("operator-detail", args=[operator.pk])).status_code == 404
