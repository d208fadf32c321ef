"""Risk writes: rule-sets loaded from files, the rule-set in force per county, grades computed one by one and
in bulk (a new grade only when the result changes, every one audited), recorded facts, grades set by hand,
and who may see a grade. No inspections: the dynamic part is the rule-set's no-inspection share."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection

from shian.core.models import AuditEntry
from shian.core.tests.factories import BusinessUserFactory, region
from shian.registry.models import Licence, Operator
from shian.registry.tests.factories import MembershipFactory, OperatorFactory
from shian.risk.models import RegradeRun, RiskFact, RiskGrade, RuleSet
from shian.risk.rules import RiskEvent, sc_food_category
from shian.risk.ruleset import RuleSetError
from shian.risk.selectors import grade_distribution, grade_history, ruleset_for
from shian.risk.services import (
    grade_override,
    grade_override_lift,
    operator_regrade,
    regrade,
    risk_fact_set,
    ruleset_load,
)

from .shipped import shipped_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal
TODAY = datetime.date(2025, 6, 30)

# The seller of test_rules worked by hand: static 18, dynamic 60 × 0.5 = 30 → 48, C
SELLER = {
    "category": "sales",
    "floor_area_m2": D("350"),
    "sku_prepackaged_ambient": 600,
    "sku_prepackaged_chilled": 150,
    "sku_prepackaged_frozen": 80,
    "sku_bulk_ambient": 120,
    "sku_bulk_chilled": 40,
    "sku_bulk_frozen": 0,
    "supplier_count": 75,
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users made here never log in: skip Argon2's third of a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def variant(name: str, /, **changes: str) -> bytes:
    """A shipped file with top-level keys rewritten (values as TOML text)."""
    lines = shipped_bytes(name).decode("utf-8").splitlines()
    for key, value in changes.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
        lines[index] = f"{key} = {value}"
    return "\n".join(lines).encode("utf-8")


def entries(action: str, obj=None):
    found = AuditEntry.objects.filter(action=action)
    if obj is not None:
        found = found.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return found


def grades(operator):
    return RiskGrade.objects.filter(operator=operator).order_by("id")


# --- loading rule-sets -------------------------------------------------------------------------------------


def test_a_shipped_file_loads_once(inspector):
    ruleset, new = ruleset_load(content=shipped_bytes("cn-2016"), by=inspector)
    assert new
    assert (ruleset.code, ruleset.version, ruleset.jurisdiction) == ("cn-2016", 1, "")
    assert ruleset.effective_from == datetime.date(2016, 12, 1)
    assert ruleset.confidence == "S" and ruleset.loaded_by == inspector
    assert len(ruleset.sha256) == 64 and ruleset.content == shipped_bytes("cn-2016").decode("utf-8")
    assert ruleset.spec.code == "cn-2016"
    entry = entries("risk.ruleset.load", ruleset).get()
    assert entry.actor == inspector and entry.after == {"sha256": ruleset.sha256, "code": "cn-2016", "version": 1}

    again, new = ruleset_load(content=shipped_bytes("cn-2016"), by=inspector)
    assert (again.pk, new) == (ruleset.pk, False)
    assert RuleSet.objects.count() == 1 and entries("risk.ruleset.load").count() == 1


def test_other_content_under_a_loaded_version_is_refused(cn2016):
    changed = shipped_bytes("cn-2016") + b"\n# a changed comment\n"
    with pytest.raises(RuleSetError) as caught:
        ruleset_load(content=changed)
    assert caught.value.problems == ["cn-2016 version 1 is already loaded with other content: give it a new version"]
    assert RuleSet.objects.get().sha256 == cn2016.sha256
    # as a new version it loads
    assert ruleset_load(content=variant("cn-2016", version="2"))[1]


def test_a_bad_file_is_not_loaded():
    with pytest.raises(RuleSetError) as caught:
        ruleset_load(content=variant("cn-2016", version="0"))
    assert caught.value.problems == ["version: must be 1 or more"]
    with pytest.raises(RuleSetError) as caught:
        ruleset_load(content=b"code = ")
    assert caught.value.problems[0].startswith("not a TOML file")
    with pytest.raises(RuleSetError):
        ruleset_load(content=b"\xff\xfe")
    assert not RuleSet.objects.exists() and not entries("risk.ruleset.load").exists()


# --- the rule-set in force ---------------------------------------------------------------------------------


def test_ruleset_for_picks_the_most_specific_jurisdiction(cn2016, cn2022):
    assert ruleset_for("320508", TODAY) == cn2016  # Suzhou: the national trial measures
    assert ruleset_for("340102", TODAY) == cn2022  # Hefei, Anhui: the province's 2022 model
    assert ruleset_for("340102", datetime.date(2022, 2, 16)) == cn2016  # before the Anhui model took effect
    assert ruleset_for("340102", datetime.date(2016, 11, 30)) is None  # before any


def test_a_city_rule_set_beats_the_national_one(cn2016):
    suzhou = ruleset_load(content=variant("cn-2016", code='"js-suzhou"', jurisdiction='"320500"'))[0]
    assert ruleset_for("320508", TODAY) == suzhou
    assert ruleset_for("320506", TODAY) == suzhou
    assert ruleset_for("320102", TODAY) == cn2016  # Nanjing


def test_a_later_effective_version_wins(cn2016):
    v2 = ruleset_load(content=variant("cn-2016", version="2", effective_from="2024-01-01"))[0]
    assert ruleset_for("320508", TODAY) == v2
    assert ruleset_for("320508", datetime.date(2023, 12, 31)) == cn2016
    v3 = ruleset_load(content=variant("cn-2016", version="3", effective_from="2030-01-01"))[0]
    assert ruleset_for("320508", TODAY) == v2  # not in force yet
    assert ruleset_for("320508", datetime.date(2030, 1, 1)) == v3


# --- grading one operator ----------------------------------------------------------------------------------


def test_operator_regrade_writes_an_explained_audited_grade(cn2016, inspector):
    operator = OperatorFactory(**SELLER)
    grade = operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert grade.is_current and grade.ruleset == cn2016 and grade.table == "seller"
    assert (grade.static_score, grade.dynamic_score, grade.credit_score, grade.total_score) == (18, 30, 0, 48)
    assert (grade.score_grade, grade.computed_grade, grade.grade, grade.basis) == ("C", "C", "C", "computed")
    assert grade.graded_by == inspector and grade.reason == ""
    static = grade.points_of("static")
    assert {p["key"]: p["points"] for p in static}["sku_bulk_chilled"] == "6.5"
    assert sum(D(p["points"]) for p in static) == grade.static_score
    assert [(p["key"], p["points"]) for p in grade.points_of("dynamic")] == [("no_inspection", "30.0")]

    entry = entries("risk.grade.compute", grade).get()
    assert entry.actor == inspector and entry.region_id == "320508"
    assert entry.object_repr == f"{operator.pk}: C"
    assert entry.after["grade"] == "C" and entry.after["total_score"] == "48.0"


def test_a_regrade_with_nothing_changed_writes_nothing(cn2016, inspector):
    operator = OperatorFactory(**SELLER)
    first = operator_regrade(operator=operator, by=inspector, today=TODAY)
    second = operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert second.pk == first.pk
    assert grades(operator).count() == 1 and entries("risk.grade.compute").count() == 1


def test_a_changed_fact_writes_a_new_grade_and_keeps_the_old_one(cn2016, inspector):
    operator = OperatorFactory(**SELLER)
    old = operator_regrade(operator=operator, by=inspector, today=TODAY)
    Operator.objects.filter(pk=operator.pk).update(floor_area_m2=D("1500"))  # 2 → 2.5
    new = operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert new.pk != old.pk
    assert (new.static_score, new.total_score, new.grade) == (D("18.5"), D("48.5"), "C")
    old.refresh_from_db()
    assert not old.is_current and old.static_score == 18
    assert list(grades(operator).values_list("is_current", flat=True)) == [False, True]
    assert RiskGrade.objects.current().get(operator=operator) == new
    assert entries("risk.grade.compute").count() == 2


def test_points_with_two_decimals_are_refused_as_grades_keep_one():
    content = shipped_bytes("cn-2016").replace(b"{ max = 200, points = 1 }", b"{ max = 200, points = 1.25 }")
    with pytest.raises(RuleSetError, match="at most 1 decimal place"):
        ruleset_load(content=content)


def test_a_change_of_band_changes_the_grade(cn2016, inspector):
    operator = OperatorFactory(category="sales", floor_area_m2=D("100"))  # 1 + 30 = 31 → B
    assert operator_regrade(operator=operator, by=inspector, today=TODAY).grade == "B"
    Operator.objects.filter(pk=operator.pk).update(floor_area_m2=None)  # 0 + 30 = 30 → A
    grade = operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert (grade.total_score, grade.grade) == (30, "A")


def test_a_producer_is_scored_by_its_sc_licence(cn2016, inspector):
    operator = OperatorFactory(category="production")
    Licence.objects.create(operator=operator, kind="SC", number="SC10532050800013")  # 05 乳制品: 32
    Licence.objects.create(operator=operator, kind="JY", number="JY13205080000011")
    grade = operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert grade.table == "producer"
    assert (grade.static_score, grade.total_score, grade.grade) == (32, 62, "D")
    assert grade.points_of("static")[0]["basis"] == "05 乳制品（Ⅳ档）"


@pytest.mark.parametrize(
    ("number", "category"),
    [("SC10532050800013", "05"), ("SC11432050800015", "14"), ("SC20332050800016", "A03"), ("JY1320508", None)],
)
def test_sc_food_category(number, category):
    assert sc_food_category(number) == category


def test_a_revoked_sc_licence_does_not_count(cn2016, inspector):
    operator = OperatorFactory(category="production")
    Licence.objects.create(operator=operator, kind="SC", number="SC10132050800017")  # 01: 14.0
    Licence.objects.create(operator=operator, kind="SC", number="SC10532050800013", status="revoked")  # 05: 32
    assert operator_regrade(operator=operator, by=inspector, today=TODAY).static_score == 14


def test_an_anhui_operator_is_graded_under_the_2022_model(cn2016, cn2022, inspector):
    operator = OperatorFactory(region=region("340102"), **SELLER)
    grade = operator_regrade(operator=operator, by=inspector, today=TODAY)
    # static 18, dynamic 40 × 0.5 = 20, no credit events: 38 → B
    assert grade.ruleset == cn2022
    assert (grade.static_score, grade.dynamic_score, grade.credit_score, grade.grade) == (18, 20, 0, "B")
    assert entries("risk.grade.compute", grade).get().region_id == "340102"


def test_no_rule_set_in_force_is_a_validation_error(cn2022, inspector):
    operator = OperatorFactory(**SELLER)  # Suzhou: only Anhui has a rule-set
    with pytest.raises(ValidationError) as caught:
        operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert "320508" in caught.value.messages[0]
    assert not RiskGrade.objects.exists()


# --- events from other modules -----------------------------------------------------------------------------


def test_events_of_the_record_move_credit_and_grade(cn2022, inspector, record):
    operator = OperatorFactory(region=region("340102"), **SELLER)
    record += [
        RiskEvent(operator.pk, "sample.failed", TODAY - datetime.timedelta(days=100), "抽检不合格"),
        RiskEvent(operator.pk, "penalty.intentional", TODAY - datetime.timedelta(days=10), "故意违法"),
        RiskEvent(operator.pk, "sample.failed", TODAY - datetime.timedelta(days=800), "太久以前"),
        RiskEvent(operator.pk + 1, "sample.failed", TODAY - datetime.timedelta(days=10), "另一家"),
    ]
    grade = operator_regrade(operator=operator, by=inspector, today=TODAY)
    # 18 + 20 + (4 + 8) = 50 → C, raised one level for the intentional violation
    assert (grade.credit_score, grade.total_score, grade.score_grade, grade.grade) == (12, 50, "C", "D")
    assert [p["key"] for p in grade.points_of("credit")] == ["sample.failed", "penalty.intentional"]
    assert [p["key"] for p in grade.points_of("adjustment")] == ["raise:penalty.intentional"]


def test_the_dishonesty_list_forces_d_through_the_record(cn2022, inspector, record):
    operator = OperatorFactory(region=region("340102"), category="sales")
    record.append(RiskEvent(operator.pk, "dishonesty.listed", TODAY - datetime.timedelta(days=30)))
    grade = operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert (grade.total_score, grade.score_grade, grade.grade) == (20, "A", "D")


def test_an_older_certification_still_lowers(cn2022, inspector, record):
    operator = OperatorFactory(region=region("340102"), **SELLER)  # 38 → B
    record.append(RiskEvent(operator.pk, "certification.haccp", TODAY - datetime.timedelta(days=800)))
    assert operator_regrade(operator=operator, by=inspector, today=TODAY).grade == "A"


# --- recorded facts ----------------------------------------------------------------------------------------


def test_a_recorded_fact_is_scored_and_audited(cn2016, inspector):
    operator = OperatorFactory(category="production", special_foods=["health_food"])
    grade = operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert (grade.table, grade.static_score, grade.grade) == ("health_food_producer", 0, "A")

    fact = risk_fact_set(operator=operator, key="hf_main_ingredient", value=["ordinary", "extracts"], by=inspector)
    assert fact.recorded_by == inspector
    entry = entries("risk.fact.set", operator).get()
    assert entry.before is None and entry.after["key"] == "hf_main_ingredient"
    assert entry.after["value"] == ["ordinary", "extracts"]

    grade = operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert (grade.static_score, grade.total_score, grade.grade) == (13, 43, "B")  # 就高不就低: extracts 13

    risk_fact_set(operator=operator, key="hf_main_ingredient", value=["vitamins_minerals"], by=inspector)
    assert RiskFact.objects.get(operator=operator).value == ["vitamins_minerals"]
    change = entries("risk.fact.set", operator).latest("id")
    assert change.before["value"] == ["ordinary", "extracts"] and change.after["value"] == ["vitamins_minerals"]

    risk_fact_set(operator=operator, key="hf_main_ingredient", value=None, by=inspector)
    assert not RiskFact.objects.filter(operator=operator).exists()
    assert entries("risk.fact.remove", operator).get().before["value"] == ["vitamins_minerals"]
    assert operator_regrade(operator=operator, by=inspector, today=TODAY).static_score == 0


def test_a_registry_field_wins_over_a_recorded_fact_of_the_same_name(cn2016, inspector):
    operator = OperatorFactory(category="sales", floor_area_m2=D("100"))
    risk_fact_set(operator=operator, key="floor_area_m2", value=5000, by=inspector)
    assert operator_regrade(operator=operator, by=inspector, today=TODAY).static_score == 1


# --- grades set by hand ------------------------------------------------------------------------------------


def test_an_override_needs_a_reason_and_a_grade(cn2016, inspector):
    operator = OperatorFactory(**SELLER)
    operator_regrade(operator=operator, by=inspector, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        grade_override(operator=operator, grade="E", reason="  ", by=inspector)
    assert set(caught.value.message_dict) == {"grade", "reason"}
    with pytest.raises(ValidationError) as caught:
        grade_override(operator=operator, grade="D", reason="", by=inspector)
    assert set(caught.value.message_dict) == {"reason"}
    assert grades(operator).count() == 1 and not entries("risk.grade.override").exists()


def test_an_override_stands_until_lifted(cn2016, inspector):
    operator = OperatorFactory(**SELLER)
    computed = operator_regrade(operator=operator, by=inspector, today=TODAY)
    override = grade_override(operator=operator, grade="D", reason=" 群众投诉集中 ", by=inspector)
    assert (override.grade, override.computed_grade, override.score_grade) == ("D", "C", "C")
    assert override.is_override and override.reason == "群众投诉集中" and override.is_current
    assert override.total_score == computed.total_score and override.ruleset_id == computed.ruleset_id
    assert override.points[:-1] == computed.points
    assert override.points[-1] == {
        "part": "override",
        "key": "override",
        "label": "群众投诉集中",
        "points": "0",
        "basis": "C → D",
    }
    computed.refresh_from_db()
    assert not computed.is_current
    entry = entries("risk.grade.override", override).get()
    assert entry.actor == inspector and entry.before["grade"] == "C" and entry.after["grade"] == "D"

    # A regrade leaves it, even when the facts change
    Operator.objects.filter(pk=operator.pk).update(floor_area_m2=D("5000"))
    assert regrade(region=region("320508"), by=inspector, today=TODAY) == {
        "graded": 1,
        "changed": 0,
        "unchanged": 0,
        "overridden": 1,
    }
    assert operator_regrade(operator=operator, by=inspector, today=TODAY) == override
    assert RiskGrade.objects.current().get(operator=operator) == override

    # Lifted, the operator is graded by the rule-set again (on today's facts)
    lifted = grade_override_lift(operator=operator, by=inspector)
    assert (lifted.basis, lifted.grade, lifted.computed_grade, lifted.static_score) == ("computed", "C", "C", 20)
    assert lifted.is_current and lifted.reason == ""
    override.refresh_from_db()
    assert not override.is_current
    assert entries("risk.grade.override.lift", override).get().after["is_current"] is False
    assert list(grades(operator).values_list("basis", "is_current")) == [
        ("computed", False),
        ("override", False),
        ("computed", True),
    ]
    with pytest.raises(ValidationError):
        grade_override_lift(operator=operator, by=inspector)


def test_an_override_of_an_ungraded_operator_grades_it_first(cn2016, inspector):
    operator = OperatorFactory(**SELLER)
    override = grade_override(operator=operator, grade="A", reason="已整改到位", by=inspector)
    assert (override.grade, override.computed_grade, override.total_score) == ("A", "C", 48)
    assert list(grades(operator).values_list("basis", "is_current")) == [("computed", False), ("override", True)]


def test_lifting_without_an_override_is_refused(cn2016, inspector):
    operator = OperatorFactory(**SELLER)
    with pytest.raises(ValidationError):
        grade_override_lift(operator=operator, by=inspector)
    operator_regrade(operator=operator, by=inspector, today=TODAY)
    with pytest.raises(ValidationError):
        grade_override_lift(operator=operator, by=inspector)


# --- bulk regrade ------------------------------------------------------------------------------------------


def test_a_bulk_regrade_grades_only_the_region(cn2016, cn2022, inspector):
    gusu = [OperatorFactory(**SELLER), OperatorFactory(category="catering", floor_area_m2=D("80"))]
    wuzhong = OperatorFactory(region=region("320506"), **SELLER)
    anhui = OperatorFactory(region=region("340102"), **SELLER)

    counts = regrade(region=region("320508"), by=inspector, today=TODAY)
    assert counts == {"graded": 2, "changed": 2, "unchanged": 0, "overridden": 0}
    assert set(RiskGrade.objects.values_list("operator_id", flat=True)) == {o.pk for o in gusu}
    # a bulk run is audited once, with its counts; its grades name the run
    run = RegradeRun.objects.get()
    assert entries("risk.grade.compute").count() == 0
    assert entries("risk.regrade", run).get().after["counts"] == counts
    assert set(RiskGrade.objects.values_list("run_id", flat=True)) == {run.pk}

    counts = regrade(region=region("320500"), by=inspector, today=TODAY)  # the city: Gusu again, and Wuzhong
    assert counts == {"graded": 3, "changed": 1, "unchanged": 2, "overridden": 0}
    assert RiskGrade.objects.current().filter(operator=wuzhong).exists()
    assert not RiskGrade.objects.filter(operator=anhui).exists()

    counts = regrade(region=None, by=None, today=TODAY)
    assert counts == {"graded": 4, "changed": 1, "unchanged": 3, "overridden": 0}
    assert RiskGrade.objects.current().get(operator=anhui).ruleset == cn2022
    assert RiskGrade.objects.current().count() == 4 and RiskGrade.objects.count() == 4


def test_a_county_without_a_rule_set_is_counted(cn2022, inspector):
    OperatorFactory(**SELLER)
    OperatorFactory(region=region("320506"))
    anhui = OperatorFactory(region=region("340102"), **SELLER)
    counts = regrade(region=None, by=inspector, today=TODAY)
    assert counts == {"graded": 1, "changed": 1, "unchanged": 0, "overridden": 0, "no_ruleset": 2}
    assert list(RiskGrade.objects.values_list("operator_id", flat=True)) == [anhui.pk]
    assert regrade(region=region("320508"), by=inspector, today=TODAY) == {"no_ruleset": 1}


def test_a_bulk_regrade_replaces_a_grade_whose_result_changed(cn2016, inspector):
    changed, same = OperatorFactory(**SELLER), OperatorFactory(**SELLER)
    regrade(region=region("320508"), by=inspector, today=TODAY)
    old = RiskGrade.objects.current().get(operator=changed)
    Operator.objects.filter(pk=changed.pk).update(floor_area_m2=D("1500"))
    counts = regrade(region=region("320508"), by=inspector, today=TODAY)
    assert counts == {"graded": 2, "changed": 1, "unchanged": 1, "overridden": 0}
    new = RiskGrade.objects.current().get(operator=changed)
    assert new != old and new.static_score > old.static_score
    assert list(grade_history(operator=changed, user=inspector)) == [new, old]
    assert RiskGrade.objects.filter(operator=same).count() == 1


def test_a_bulk_regrade_finds_a_grade_made_one_at_a_time_unchanged(cn2016, inspector):
    """On PostgreSQL the bulk regrade writes points in the database and the single grading through the ORM:
    the same points, however each spaced them, are the same result."""
    grade = operator_regrade(operator=OperatorFactory(**SELLER), by=inspector, today=TODAY)
    counts = regrade(region=region("320508"), by=inspector, today=TODAY)
    assert counts == {"graded": 1, "changed": 0, "unchanged": 1, "overridden": 0}
    assert list(RiskGrade.objects.all()) == [grade]


def test_a_bulk_regrade_in_chunks(cn2016, inspector, monkeypatch):
    from shian.risk import services

    monkeypatch.setattr(services, "CHUNK", 2)
    operators = [OperatorFactory(category="sales", floor_area_m2=D(100 * n)) for n in range(1, 6)]
    done = []
    counts = regrade(region=region("320508"), by=inspector, today=TODAY, progress=done.append)
    assert counts == {"graded": 5, "changed": 5, "unchanged": 0, "overridden": 0}
    # PostgreSQL grades a rule-set's counties in one statement; elsewhere a chunk at a time
    assert done == ([5] if connection.vendor == "postgresql" else [2, 2, 1])
    assert RiskGrade.objects.current().count() == len(operators)


def test_operators_are_dealt_into_ranges_of_ids_of_about_as_many_each():
    from shian.risk.services import LAST_ID, _id_ranges

    if connection.vendor != "postgresql":
        pytest.skip("shares are graded at once on PostgreSQL only")
    gusu = [OperatorFactory(region=region("320508")).pk for _ in range(4)]
    OperatorFactory(region=region("320506"))
    assert _id_ranges(["320508"], 2) == [(0, gusu[1]), (gusu[1] + 1, LAST_ID)]
    assert _id_ranges(["320508"], 4) == [
        (0, gusu[0]),
        (gusu[0] + 1, gusu[1]),
        (gusu[1] + 1, gusu[2]),
        (gusu[2] + 1, LAST_ID),
    ]
    assert _id_ranges(["320508"], 1) == [(0, LAST_ID)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="shares are graded at once on PostgreSQL only")
def test_a_regrade_on_postgresql_grades_shares_on_connections_of_their_own(regions, cn2016, inspector, settings):
    """Outside a transaction (`regions`: a transactional test), as `shian risk regrade` and the worker run it."""
    settings.SHIAN_RISK = {"REGRADE_CONNECTIONS": 2}
    gusu = [OperatorFactory(region=region("320508"), **SELLER) for _ in range(3)]
    others = [OperatorFactory(region=region(code), **SELLER) for code in ("320506", "320506", "320505")]
    override = grade_override(operator=gusu[0], grade="D", reason="群众投诉集中", by=inspector)
    done, before = [], RiskGrade.objects.count()
    counts = regrade(region=region("320500"), by=inspector, today=TODAY, progress=done.append)
    assert counts == {"graded": 6, "changed": 5, "unchanged": 0, "overridden": 1}
    assert RiskGrade.objects.count() == before + 5
    assert sorted(done) == [3, 3]  # three operators on each connection
    current = RiskGrade.objects.current()
    assert current.count() == 6 and current.get(operator=gusu[0]) == override
    assert {g.grade for g in current.filter(operator__in=[*gusu[1:], *others])} == {"C"}
    assert regrade(region=region("320500"), by=inspector, today=TODAY) == {
        "graded": 6,
        "changed": 0,
        "unchanged": 5,
        "overridden": 1,
    }
    assert RiskGrade.objects.count() == before + 5


# --- who sees a grade --------------------------------------------------------------------------------------


def test_a_grade_is_seen_in_its_county_only(cn2016, inspector, other_county_inspector):
    grade = operator_regrade(operator=OperatorFactory(**SELLER), by=inspector, today=TODAY)
    assert list(RiskGrade.objects.visible_to(inspector)) == [grade]
    assert not RiskGrade.objects.visible_to(other_county_inspector).exists()
    assert list(RiskGrade.objects.visible_to(inspector).current()) == [grade]


def test_a_business_user_sees_only_their_own_grade(cn2016, inspector):
    own, other = OperatorFactory(**SELLER), OperatorFactory(**SELLER)
    mine = operator_regrade(operator=own, by=inspector, today=TODAY)
    operator_regrade(operator=other, by=inspector, today=TODAY)
    user = BusinessUserFactory()
    MembershipFactory(user=user, operator=own)
    assert list(RiskGrade.objects.visible_to(user)) == [mine]


def test_grade_history_lists_the_operators_grades(cn2016, inspector, other_county_inspector):
    operator = OperatorFactory(**SELLER)
    first = operator_regrade(operator=operator, by=inspector, today=TODAY)
    Operator.objects.filter(pk=operator.pk).update(floor_area_m2=D("1500"))
    second = operator_regrade(operator=operator, by=inspector, today=TODAY)
    assert list(grade_history(operator=operator, user=inspector)) == [second, first]
    assert not grade_history(operator=operator, user=other_county_inspector).exists()


def test_grade_distribution_counts_the_grades_a_user_may_see(cn2016, inspector, other_county_inspector):
    OperatorFactory(**SELLER)  # 48 → C
    OperatorFactory(category="sales", floor_area_m2=D("100"))  # 31 → B
    old = OperatorFactory(category="sales")  # 30 → A, then set to D by hand
    OperatorFactory(region=region("320506"), **SELLER)  # Wuzhong: C
    regrade(region=None, by=inspector, today=TODAY)
    grade_override(operator=old, grade="D", reason="发生食品安全事故", by=inspector)
    assert grade_distribution(user=inspector) == {"B": 1, "C": 1, "D": 1}
    assert grade_distribution(user=other_county_inspector) == {"C": 1}


def test_a_certification_past_its_term_and_an_old_listing_no_longer_count(cn2022, inspector, record):
    operator = OperatorFactory(region=region("340102"), **SELLER)  # 38 → B
    record.append(RiskEvent(operator.pk, "certification.haccp", TODAY - datetime.timedelta(days=1200)))
    record.append(RiskEvent(operator.pk, "dishonesty.listed", TODAY - datetime.timedelta(days=1200)))
    assert operator_regrade(operator=operator, by=inspector, today=TODAY).grade == "B"
