"""The whole loop through services: start, answer, finish with the §1.3 mapping, publish, order a fix, the
business reports with evidence, the inspector returns it once and then accepts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shian.core.models import AuditEntry, LedgerEntry, Notification
from shian.core.services.ledger import ledger_verify
from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.inspection.choices import InspectionKind, RectificationKind, RectificationStatus, Result
from shian.inspection.models import Inspection, Rectification
from shian.inspection.selectors import overdue_publications, overdue_rectifications, template_for
from shian.inspection.services import (
    inspection_answer,
    inspection_finish,
    inspection_publish,
    inspection_start,
    rectification_issue,
    rectification_submit,
    rectification_verify,
)
from shian.registry.tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db(transaction=False)


def answer_all(inspection, by, *, fail=(), outcome="yes", affects_safety=()):
    for answer in inspection.answers.select_related("item", "inspection"):
        code = answer.item.code
        inspection_answer(
            answer=answer,
            by=by,
            outcome="no" if code in fail else outcome,
            note="发现问题" if code in fail else "",
            affects_safety=code in affects_safety,
        )


def general_and_key(inspection):
    items = [a.item for a in inspection.answers.select_related("item")]
    return next(i.code for i in items if not i.key), next(i.code for i in items if i.key)


def finish(inspection, by, **kwargs):
    defaults = {"signed_by": "张老板", "signature": "data:image/png;base64,iVBORw0KGgo="}
    return inspection_finish(inspection=inspection, by=by, **(defaults | kwargs))


def test_the_checklist_is_chosen_by_business_format_and_special_foods(checklists):
    assert template_for(OperatorFactory(category="catering")).code == "catering"
    assert template_for(OperatorFactory(category="canteen", canteen_kind="school")).code == "canteen"
    assert template_for(OperatorFactory(category="sales")).code == "sales"
    assert template_for(OperatorFactory(category="production")).code == "production"
    assert template_for(OperatorFactory(category="production", special_foods=["health_food"])).code == "special_food"


def test_an_inspection_needs_two_inspectors_whose_agency_covers_the_business(checklists, inspectors, operator, english):
    with pytest.raises(ValidationError, match="two inspectors"):
        inspection_start(operator=operator, by=inspectors[0], inspectors=[])
    elsewhere = RegulatorFactory(agency=AgencyFactory(region=region("320506")))
    with pytest.raises(ValidationError, match="does not cover"):
        inspection_start(operator=operator, by=inspectors[0], inspectors=[elsewhere])
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    assert set(inspection.inspectors.all()) == set(inspectors)
    assert inspection.answers.count() == checklists["catering"].items.count()


def test_a_city_inspector_may_join_a_county_inspection(checklists, inspectors, operator):
    city = RegulatorFactory(agency=AgencyFactory(region=region("320500")))
    inspection = inspection_start(operator=operator, by=city, inspectors=[inspectors[0]])
    assert inspection.agency == city.agency


def test_all_met_is_compliant_and_goes_to_the_ledger(checklists, inspectors, operator, owner, english):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    with pytest.raises(ValidationError) as missing:
        finish(inspection, inspectors[0])
    assert "answers" in missing.value.message_dict
    answer_all(inspection, inspectors[0])
    inspection = finish(inspection, inspectors[0])
    assert inspection.result == Result.COMPLIANT and not inspection.for_case
    assert inspection.failed_points == 0 and inspection.applicable_points > 0
    assert inspection.publish_by is not None and inspection.publish_by > timezone.localdate()
    entry = LedgerEntry.objects.get(kind="inspection.result", object_id=str(inspection.pk))
    assert entry.payload["result"] == Result.COMPLIANT
    assert ledger_verify().ok
    assert AuditEntry.objects.filter(action="inspection.finish", object_id=str(inspection.pk)).exists()
    with pytest.raises(ValidationError, match="finished"):
        inspection_answer(answer=inspection.answers.first(), by=inspectors[0], outcome="no")


def test_a_failed_key_item_is_noncompliant_and_marked_for_a_case_with_a_stop_order(checklists, inspectors, operator):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    _general, key = general_and_key(inspection)
    answer_all(inspection, inspectors[0], fail={key})
    with pytest.raises(ValidationError) as no_note:
        finish(inspection, inspectors[0], stop_order=True)
    assert "stop_order_note" in no_note.value.message_dict
    inspection = finish(inspection, inspectors[0], stop_order=True, stop_order_note="停止使用过期原料")
    assert inspection.result == Result.NONCOMPLIANT
    assert inspection.for_case and inspection.stop_order


def test_a_failed_general_item_affecting_safety_is_noncompliant(checklists, inspectors, operator):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    general, _key = general_and_key(inspection)
    answer_all(inspection, inspectors[0], fail={general}, affects_safety={general})
    assert finish(inspection, inspectors[0]).result == Result.NONCOMPLIANT


def test_another_result_needs_a_reason(checklists, inspectors, operator):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    general, _key = general_and_key(inspection)
    answer_all(inspection, inspectors[0], fail={general})
    with pytest.raises(ValidationError) as no_reason:
        finish(inspection, inspectors[0], result=Result.NONCOMPLIANT)
    assert "result_reason" in no_reason.value.message_dict
    inspection = finish(inspection, inspectors[0], result=Result.NONCOMPLIANT, result_reason="多次整改不到位")
    assert inspection.derived_result == Result.BASIC and inspection.result == Result.NONCOMPLIANT


def test_a_refusal_to_sign_needs_a_witness(checklists, inspectors, operator):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    answer_all(inspection, inspectors[0])
    with pytest.raises(ValidationError) as unsigned:
        inspection_finish(inspection=inspection, by=inspectors[0])
    assert "signed_by" in unsigned.value.message_dict
    with pytest.raises(ValidationError) as no_witness:
        inspection_finish(inspection=inspection, by=inspectors[0], refused=True)
    assert "witness" in no_witness.value.message_dict
    inspection = inspection_finish(inspection=inspection, by=inspectors[0], refused=True, witness="社区网格员李某")
    assert inspection.refused and inspection.witness == "社区网格员李某" and not inspection.signature


def test_an_unannounced_inspection_need_not_answer_every_item(checklists, inspectors, operator):
    inspection = inspection_start(
        operator=operator, by=inspectors[0], inspectors=[inspectors[1]], kind=InspectionKind.FLYING
    )
    assert not inspection.full
    first = inspection.answers.select_related("item", "inspection").first()
    inspection_answer(answer=first, by=inspectors[0], outcome="yes")
    assert finish(inspection, inspectors[0]).result == Result.COMPLIANT


def test_article_42_refuses_a_repeat_after_a_higher_level_inspection_unless_a_lead(checklists, inspectors, operator):
    city_agency = AgencyFactory(region=region("320500"))
    city = [RegulatorFactory(agency=city_agency) for _ in range(2)]
    higher = inspection_start(operator=operator, by=city[0], inspectors=[city[1]])
    answer_all(higher, city[0])
    finish(higher, city[0])
    with pytest.raises(ValidationError) as blocked:
        inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    assert "art. 42" in str(blocked.value) or "第四十二条" in str(blocked.value)
    assert inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]], is_lead=True).is_lead


def test_publication_deadline_and_overdue_list(checklists, inspectors, operator):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    answer_all(inspection, inspectors[0])
    inspection = finish(inspection, inspectors[0])
    later = inspection.publish_by + datetime.timedelta(days=1)
    assert list(overdue_publications(user=inspectors[0], today=inspection.publish_by)) == []
    assert list(overdue_publications(user=inspectors[0], today=later)) == [inspection]
    inspection_publish(inspection=inspection, by=inspectors[0])
    assert list(overdue_publications(user=inspectors[0], today=later)) == []


def test_the_closed_loop_with_one_return(
    checklists, inspectors, operator, owner, photo_of, django_capture_on_commit_callbacks
):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    general, _key = general_and_key(inspection)
    answer_all(inspection, inspectors[0], fail={general})
    inspection = finish(inspection, inspectors[0])
    assert inspection.result == Result.BASIC
    failed = list(inspection.answers.filter(outcome="no"))
    with pytest.raises(ValidationError) as no_days:
        rectification_issue(
            inspection=inspection, by=inspectors[0], kind=RectificationKind.DEADLINE, answers=failed, requirement="清理"
        )
    assert "working_days" in no_days.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        order = rectification_issue(
            inspection=inspection,
            by=inspectors[0],
            kind=RectificationKind.DEADLINE,
            answers=failed,
            requirement="三个工作日内完成清洁消毒",
            working_days=3,
        )
    assert order.status == RectificationStatus.OPEN and order.deadline > timezone.localdate()
    assert Notification.objects.filter(recipient=owner, kind="rectification.issued").exists()
    # the business must show evidence before it can report
    with pytest.raises(ValidationError) as no_photo:
        rectification_submit(order=order, by=owner, response="已清洁")
    assert "evidence" in no_photo.value.message_dict
    photo_of(owner, operator, subject=order)
    order = rectification_submit(order=order, by=owner, response="已清洁")
    assert order.status == RectificationStatus.SUBMITTED
    with pytest.raises(ValidationError) as no_reason:
        rectification_verify(order=order, by=inspectors[0], accepted=False)
    assert "reason" in no_reason.value.message_dict
    order = rectification_verify(order=order, by=inspectors[0], accepted=False, reason="照片看不清")
    assert order.status == RectificationStatus.RETURNED
    # a returned order needs new evidence
    with pytest.raises(ValidationError):
        rectification_submit(order=order, by=owner, response="重新清洁")
    photo_of(owner, operator, subject=order)
    order = rectification_submit(order=order, by=owner, response="重新清洁")
    order = rectification_verify(order=order, by=inspectors[0], accepted=True)
    assert order.status == RectificationStatus.CLOSED and order.closed_at is not None
    assert [s.status for s in order.steps.all()] == ["open", "submitted", "returned", "submitted", "closed"]
    kinds = list(
        LedgerEntry.objects.filter(object_id=str(order.pk), object_type__endswith="rectification").values_list(
            "kind", flat=True
        )
    )
    assert kinds == [
        "rectification.issue",
        "rectification.submit",
        "rectification.verdict",
        "rectification.submit",
        "rectification.verdict",
    ]
    with pytest.raises(ValidationError):
        rectification_verify(order=order, by=inspectors[0], accepted=False, reason="again")
    assert ledger_verify().ok


def test_fixed_on_the_spot_needs_evidence_and_closes_at_once(checklists, inspectors, operator, photo_of):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    general, _key = general_and_key(inspection)
    answer_all(inspection, inspectors[0], fail={general})
    inspection = finish(inspection, inspectors[0])
    failed = list(inspection.answers.filter(outcome="no"))
    with pytest.raises(ValidationError) as no_photo:
        rectification_issue(
            inspection=inspection,
            by=inspectors[0],
            kind=RectificationKind.ON_THE_SPOT,
            answers=failed,
            requirement="当场整改",
        )
    assert "evidence" in no_photo.value.message_dict
    photo = photo_of(inspectors[0], operator)
    order = rectification_issue(
        inspection=inspection,
        by=inspectors[0],
        kind=RectificationKind.ON_THE_SPOT,
        answers=failed,
        requirement="当场整改",
        evidence=[photo],
    )
    assert order.status == RectificationStatus.CLOSED and order.deadline is None


def test_overdue_is_derived_from_the_deadline(checklists, inspectors, operator):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    general, _key = general_and_key(inspection)
    answer_all(inspection, inspectors[0], fail={general})
    inspection = finish(inspection, inspectors[0])
    order = rectification_issue(
        inspection=inspection,
        by=inspectors[0],
        kind=RectificationKind.DEADLINE,
        answers=list(inspection.answers.filter(outcome="no")),
        requirement="整改",
        working_days=2,
    )
    assert list(overdue_rectifications(user=inspectors[0], today=order.deadline)) == []
    assert list(overdue_rectifications(user=inspectors[0], today=order.deadline + datetime.timedelta(days=1))) == [
        order
    ]


def test_scoping_of_inspections_and_orders(checklists, inspectors, operator, owner):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    other_county = RegulatorFactory(agency=AgencyFactory(region=region("320506")))
    other_business = BusinessUserFactory()
    assert list(Inspection.objects.visible_to(inspectors[0])) == [inspection]
    assert list(Inspection.objects.visible_to(owner)) == [inspection]
    assert not Inspection.objects.visible_to(other_county).exists()
    assert not Inspection.objects.visible_to(other_business).exists()
    assert not Rectification.objects.visible_to(other_county).exists()
