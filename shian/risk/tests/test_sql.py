"""The rule-set compiled to SQL (`sql.grades_sql`, the bulk regrade on PostgreSQL) grades exactly as the rules do
in Python (`rules.assess`): the same table, scores, grades and every point with its basis, on operators
generated to reach every kind of factor, value, inspection and event of both shipped rule-sets."""

import datetime
import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from shian.core.models import Agency
from shian.core.tests.factories import region
from shian.inspection.models import ChecklistTemplate, Inspection, ItemResult
from shian.inspection.services import checklist_load
from shian.registry.models import Licence
from shian.registry.tests.factories import OperatorFactory
from shian.risk.rules import RiskEvent
from shian.risk.services import _assess_many, risk_fact_set
from shian.risk.sql import grades_sql

CHECKLIST = Path(__file__).resolve().parents[2] / "inspection" / "checklists" / "catering.toml"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the compiled rule-set runs on PostgreSQL"),
]

TODAY = datetime.date(2025, 6, 30)
COUNTY = "340102"  # in Anhui, where cn-2022 is in force; cn-2016 is compiled for it as well below
CATEGORIES = ["sales", "cold_storage", "catering", "canteen", "production", "workshop", "vendor", "central_kitchen"]
RECORDED = {  # facts recorded by hand: lists, single values, unknown and odd values
    "hf_main_ingredient": [["ordinary", "extracts"], ["vitamins_minerals"], ["nonsense"], [], "extracts"],
    "hf_formula": ["single", "compound", ["compound", "single"], ""],
    "catering_food_kinds": [["hot", "cold"], ["drinks"], "hot", [], ["x", "cold", "cold"]],
    "consumer_group": [["students"], ["general", "elderly"], "general"],
    "sc_food_category": [["01"]],  # a licence's category wins over a recorded one
    "floor_area_m2": [5000],  # the registry's field wins
}
EVENT_KINDS = [
    "sample.failed",
    "penalty.intentional",
    "penalty.imposed",
    "incident",
    "recall.failed",
    "dishonesty.listed",
    "certification.haccp",
]


def _operators(rng: random.Random, checklist: ChecklistTemplate, agency: Agency, record: list) -> list[int]:
    items = list(checklist.items.all())
    ids = []
    for n in range(90):
        category = CATEGORIES[n % len(CATEGORIES)]
        operator = OperatorFactory(
            region=region(COUNTY),
            category=category,
            canteen_kind=rng.choice(["school", "kindergarten", "enterprise"]) if category == "canteen" else "",
            special_foods=rng.choice([[], ["health_food"], ["infant_formula", "health_food"]]),
            floor_area_m2=rng.choice([None, Decimal("0"), Decimal("12.50"), Decimal("350"), Decimal("9999.99")]),
            daily_diners=rng.choice([None, 0, 80, 500, 3000]),
            sku_prepackaged_ambient=rng.choice([None, 0, 150, 600, 5000]),
            sku_bulk_chilled=rng.choice([None, 0, 40, 400]),
            supplier_count=rng.choice([None, 5, 75, 300]),
            handles_high_risk_foods=rng.random() < 0.5,
        )
        ids.append(operator.pk)
        for key, values in RECORDED.items():
            if rng.random() < 0.4:
                risk_fact_set(operator=operator, key=key, value=rng.choice(values), by=None)
        for number in rng.sample(
            ["SC10132050800012", "SC20132050800013", "SC11432050800014", "SC1"], rng.randint(0, 2)
        ):
            Licence.objects.create(operator=operator, kind="SC", number=f"{number[:13]}{n:03d}", status="valid")
        for _ in range(rng.randint(0, 3)):
            finished = timezone.make_aware(
                datetime.datetime.combine(TODAY - datetime.timedelta(days=rng.randint(0, 1500)), datetime.time(10))
            )
            applicable = rng.choice([Decimal("0"), Decimal("40.0"), Decimal("100")])
            answered = rng.sample(items, rng.randint(0, 3))
            outcomes = [rng.choice(["no", "yes"]) for _ in answered]
            derived = rng.choice(["basic", "noncompliant"]) if "no" in outcomes else "compliant"
            result = derived if rng.random() < 0.8 else rng.choice(["compliant", "basic", "noncompliant"])
            inspection = Inspection.objects.create(
                operator=operator,
                template=checklist,
                agency=agency,
                full=rng.random() < 0.8,
                status="finished",
                started_at=finished,
                finished_at=finished,
                derived_result=derived,
                result=result,
                result_reason="" if result == derived else "复核改判",
                failed_points=min(applicable, Decimal(rng.randint(0, 30))),
                applicable_points=applicable,
                obstructed=rng.random() < 0.1,
                stop_order=rng.random() < 0.1,
            )
            for item, outcome in zip(answered, outcomes, strict=True):
                ItemResult.objects.create(inspection=inspection, item=item, outcome=outcome)
        for _ in range(rng.randint(0, 3)):
            on = TODAY - datetime.timedelta(days=rng.randint(-5, 1200))
            record.append(RiskEvent(operator.pk, rng.choice(EVENT_KINDS), on, rng.choice(["", "记录"]), f"x:{n}"))
    return ids


@pytest.mark.parametrize("shipped", ["cn2016", "cn2022"])
def test_the_database_grades_as_the_rules_do(shipped, request, record):
    ruleset = request.getfixturevalue(shipped)
    checklist = checklist_load(content=CHECKLIST.read_bytes())[0]
    agency = Agency.objects.create(name="合肥市庐阳区市场监督管理局", region=region(COUNTY))
    ids = _operators(random.Random(2025), checklist, agency, record)

    expected = _assess_many(ruleset.spec, ids, TODAY)
    sql, params = grades_sql(
        ruleset.spec, counties=[COUNTY], today=TODAY, timezone=timezone.get_current_timezone_name()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        found = {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}

    assert set(found) == set(ids)
    for operator_id, result in expected.items():
        row = found[operator_id]
        assert (row["table"], row["static_score"], row["dynamic_score"], row["credit_score"]) == (
            result.table,
            result.static,
            result.dynamic,
            result.credit,
        ), operator_id
        assert (row["total_score"], row["score_grade"], row["grade"]) == (
            result.total,
            result.score_grade,
            result.grade,
        ), operator_id
        assert row["points"] == [p.as_dict() for p in result.points], operator_id
    grades = {r.grade for r in expected.values()}
    parts = {p.part for r in expected.values() for p in r.points}
    assert len(grades) >= 3 and {"static", "dynamic", "adjustment"} <= parts  # the sample reaches the rules
