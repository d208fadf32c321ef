"""Annual plans and random draws (双随机) through services, and what grading reads from inspections."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shian.core.tests.factories import AgencyFactory, RegulatorFactory, region
from shian.inspection.choices import DrawKind
from shian.inspection.planning import (
    draw_replay,
    plan_create,
    plan_draw_inspectors,
    plan_draw_targets,
    plan_publish,
    recusal_declare,
)
from shian.inspection.selectors import plan_progress
from shian.inspection.services import inspection_answer, inspection_finish, inspection_start
from shian.registry.tests.factories import OperatorFactory
from shian.risk.models import RiskGrade
from shian.risk.services import operator_regrade, regrade, ruleset_load

pytestmark = pytest.mark.django_db

RULESETS = Path(__file__).resolve().parents[2] / "risk" / "rulesets"


@pytest.fixture
def national(db):
    return ruleset_load(content=(RULESETS / "cn-2016.toml").read_bytes())[0]


def finish_clean(inspection, by, fail=()):
    for answer in inspection.answers.select_related("item", "inspection"):
        inspection_answer(answer=answer, by=by, outcome="no" if answer.item.code in fail else "yes")
    return inspection_finish(inspection=inspection, by=by, signed_by="店主", signature="data:image/png;base64,AA==")


def test_the_dynamic_score_reads_the_latest_full_inspection(checklists, national, inspectors, operator):
    before = operator_regrade(operator=operator, by=inspectors[0])
    assert before.dynamic_score == Decimal("30.0")  # no inspection yet: half of 60 (the rule-set's share)
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    key = next(a.item for a in inspection.answers.select_related("item") if a.item.key)
    inspection = finish_clean(inspection, inspectors[0], fail={key.code})
    after = operator_regrade(operator=operator, by=inspectors[0])
    expected = (Decimal(60) * inspection.failed_points / inspection.applicable_points).quantize(Decimal("0.1"))
    assert after.dynamic_score == expected
    failed_lines = [p for p in after.points if p["key"] == f"item:{key.code}"]
    assert failed_lines and failed_lines[0]["label"] == key.text
    assert RiskGrade.objects.filter(operator=operator).count() == 2


def test_a_noncompliant_result_raises_the_grade_under_a_rule_that_lists_it(checklists, inspectors, operator):
    ruleset_load(
        content=(RULESETS / "cn-2016.toml")
        .read_text()
        .replace('code = "cn-2016"', 'code = "test-raise"')
        .replace('events = ["penalty.intentional"', 'events = ["inspection.noncompliant", "penalty.intentional"', 1)
        .encode()
    )
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    key = next(a.item for a in inspection.answers.select_related("item") if a.item.key)
    finish_clean(inspection, inspectors[0], fail={key.code})
    grade = operator_regrade(operator=operator, by=inspectors[0])
    assert grade.grade != grade.score_grade
    assert any(p["part"] == "adjustment" and "inspection.noncompliant" in p["key"] for p in grade.points)


@pytest.fixture
def county_plan_world(checklists, national, gusu):
    people = [RegulatorFactory(username=f"p{n}", agency=gusu) for n in range(6)]
    city = RegulatorFactory(username="city", agency=AgencyFactory(region=region("320500")))
    elsewhere = RegulatorFactory(username="wuzhong", agency=AgencyFactory(region=region("320506")))
    operators = [OperatorFactory(category="catering") for _ in range(12)]
    operators += [OperatorFactory(category="central_kitchen") for _ in range(2)]
    regrade(region=region("320508"), by=None)
    return {"inspectors": people, "city": city, "elsewhere": elsewhere, "operators": operators}


def test_a_plan_requires_inspections_by_grade_and_the_two_year_rule(county_plan_world):
    plan = plan_create(region=region("320508"), year=2026, by=county_plan_world["inspectors"][0])
    targets = {t.operator_id: t for t in plan.targets.all()}
    assert len(targets) == 14
    for operator in county_plan_world["operators"]:
        target = targets[operator.pk]
        grade = RiskGrade.objects.current().get(operator=operator).grade
        minimum = {"A": 1, "B": 1, "C": 2, "D": 3}[grade]  # cn-2016 frequencies
        assert target.grade == grade and target.required == minimum
        assert target.full_due and "full_due" in target.reasons  # never inspected
    kitchens = [targets[o.pk] for o in county_plan_world["operators"][-2:]]
    assert all(t.key_target and "central_kitchen_or_group_meal" in t.reasons for t in kitchens)
    with pytest.raises(ValidationError):
        plan_create(region=region("320508"), year=2026, by=None)


def test_a_producer_of_special_foods_is_a_key_target(checklists, national):
    special = OperatorFactory(category="production", special_foods=["health_food"])
    plain = OperatorFactory(category="production", special_foods=[])
    plan = plan_create(region=region("320508"), year=2026, by=None)
    targets = {t.operator_id: t for t in plan.targets.all()}
    assert targets[special.pk].key_target and "special_food_producer" in targets[special.pk].reasons
    assert "special_food_producer" not in targets[plain.pk].reasons


def test_the_inspector_draw_is_recorded_and_reproducible(county_plan_world):
    people = county_plan_world["inspectors"]
    operators = county_plan_world["operators"]
    recusal_declare(inspector=people[0], operator=operators[0], reason="亲属经营", by=people[0])
    plan = plan_create(region=region("320508"), year=2026, by=people[0])
    draw = plan_draw_inspectors(plan=plan, by=people[0], seed="fixed-seed")
    assert draw.kind == DrawKind.INSPECTORS and draw.seed == "fixed-seed"
    assert draw_replay(draw) == draw.result
    eligible = {p.pk for p in people} | {county_plan_world["city"].pk}
    for target in plan.targets.all():
        pair = {target.pair.inspector_1_id, target.pair.inspector_2_id}
        assert len(pair) == 2 and pair <= eligible
        assert county_plan_world["elsewhere"].pk not in pair
    first = plan.targets.get(operator=operators[0])
    assert people[0].pk not in {first.pair.inspector_1_id, first.pair.inspector_2_id}
    loads = {}
    for target in plan.targets.all():
        for person in (target.pair.inspector_1_id, target.pair.inspector_2_id):
            loads[person] = loads.get(person, 0) + 1
    assert max(loads.values()) - min(loads.values()) <= 1
    # the same seed and pool give the same pairs again
    again = plan_draw_inspectors(plan=plan, by=people[0], seed="fixed-seed")
    assert again.result == draw.result
    # another seed: the targets' pairs are the new draw's, one each
    other = plan_draw_inspectors(plan=plan, by=people[0], seed="another-seed")
    stored = [
        [t.operator_id, t.pair.inspector_1_id, t.pair.inspector_2_id] for t in plan.targets.order_by("operator_id")
    ]
    assert stored == other.result["pairs"] != draw.result["pairs"]


def test_progress_counts_each_target_once_however_often_it_was_inspected(county_plan_world):
    people = county_plan_world["inspectors"]
    operator = county_plan_world["operators"][0]
    plan = plan_create(region=region("320508"), year=timezone.localdate().year, by=people[0])
    plan_draw_inspectors(plan=plan, by=people[0], seed="progress")
    plan_publish(plan=plan, by=people[0])
    for _ in range(2):
        finish_clean(inspection_start(operator=operator, by=people[0], inspectors=[people[1]]), people[0])
    progress = plan_progress(plan)
    assert (progress["targets"], progress["assigned"], progress["done"]) == (14, 14, 2)
    assert progress["required"] == sum(plan.targets.values_list("required", flat=True))
    assert progress["completion"] == round(100 * 2 / progress["required"])


def test_the_last_inspectors_are_not_drawn_again(county_plan_world):
    people = county_plan_world["inspectors"]
    operator = county_plan_world["operators"][0]
    finish_clean(inspection_start(operator=operator, by=people[0], inspectors=[people[1]]), people[0])
    plan = plan_create(region=region("320508"), year=2027, by=people[0])
    plan_draw_inspectors(plan=plan, by=people[0])
    target = plan.targets.get(operator=operator)
    assert {target.pair.inspector_1_id, target.pair.inspector_2_id}.isdisjoint({people[0].pk, people[1].pk})


def test_general_targets_are_drawn_at_a_ratio_and_a_published_plan_is_fixed(county_plan_world):
    people = county_plan_world["inspectors"]
    plan = plan_create(region=region("320508"), year=2026, by=people[0])
    plan.targets.filter(key_target=False).update(required=0, drawn=False, full_due=False)
    draw = plan_draw_targets(plan=plan, ratio=Decimal("0.25"), by=people[0], seed="s")
    assert len(draw.result) == 3  # 25% of 12, rounded up
    assert set(plan.targets.filter(drawn=True, key_target=False).values_list("operator_id", flat=True)) == set(
        draw.result
    )
    assert draw_replay(draw) == draw.result
    plan_publish(plan=plan, by=people[0])
    with pytest.raises(ValidationError):
        plan_draw_inspectors(plan=plan, by=people[0])
