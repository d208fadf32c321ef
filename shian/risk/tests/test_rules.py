"""Risk scoring on examples worked by hand from the tables of regulations.md §1.1–1.2, under the shipped
rule-sets (cn-2016: static 40 + dynamic 60; cn-2022: static 40 + dynamic 40 + credit 20)."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shian.risk.rules import (
    InspectionBasis,
    RiskEvent,
    adjusted_grade,
    assess,
    band,
    credit_score,
    dynamic_score,
    factor_points,
    forced_grade,
    shift_grade,
    static_score,
)
from shian.risk.ruleset import parse_ruleset

from .shipped import shipped_data, shipped_spec

D = Decimal
TODAY = datetime.date(2025, 6, 30)
CN2016 = shipped_spec("cn-2016")
CN2022 = shipped_spec("cn-2022")
HEALTH_FOOD, PRODUCER, SELLER, CATERER = CN2016.static


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def event(kind: str, on: datetime.date, operator_id: int = 1) -> RiskEvent:
    return RiskEvent(operator_id, kind, on, label=kind)


def factor(table, key):
    return next(f for f in table.factors if f.key == key)


def by_key(points) -> dict[str, Decimal]:
    return {p.key: p.points for p in points}


def inspection(failed, applicable, on=None, items=()) -> InspectionBasis:
    return InspectionBasis(
        inspection_id=7,
        on=on or days_ago(30),
        failed_points=D(failed),
        applicable_points=D(applicable),
        failed_items=items,
    )


# --- 表1-3 food sellers ------------------------------------------------------------------------------------


def test_a_seller_worked_by_hand():
    """A supermarket of 350 m² (201–1000 → 2) with 600 ambient prepackaged SKUs (501–2000 → 1), 150 chilled
    (101–300 → 3), 80 frozen (<100 → 1), 120 bulk ambient (101–300 → 1.5), 40 bulk chilled (30–50 → 6.5), no bulk
    frozen (0) and 75 suppliers (51–100 → 3): 2 + 1 + 3 + 1 + 1.5 + 6.5 + 0 + 3 = 18."""
    facts = {
        "category": "sales",
        "floor_area_m2": D("350.00"),
        "sku_prepackaged_ambient": 600,
        "sku_prepackaged_chilled": 150,
        "sku_prepackaged_frozen": 80,
        "sku_bulk_ambient": 120,
        "sku_bulk_chilled": 40,
        "sku_bulk_frozen": 0,
        "supplier_count": 75,
    }
    total, points = static_score(SELLER, facts)
    assert total == D("18")
    assert by_key(points) == {
        "floor_area": D("2"),
        "sku_prepackaged_ambient": D("1"),
        "sku_prepackaged_chilled": D("3"),
        "sku_prepackaged_frozen": D("1"),
        "sku_bulk_ambient": D("1.5"),
        "sku_bulk_chilled": D("6.5"),
        "sku_bulk_frozen": D("0"),
        "supplier_count": D("3"),
    }
    assert {p.part for p in points} == {"static"}
    assert points[0].basis == "350（200 < x ≤ 1000）"
    # No inspection yet: half of the 60 dynamic points [R]; 18 + 30 = 48 → C
    result = assess(CN2016, facts, inspection=None, events=[], today=TODAY)
    assert (result.table, result.static, result.dynamic, result.credit) == ("seller", 18, 30, 0)
    assert (result.total, result.score_grade, result.grade) == (48, "C", "C")


def test_the_largest_seller_scores_the_whole_table():
    facts = {
        "floor_area_m2": 5000,
        "sku_prepackaged_ambient": 20000,
        "sku_prepackaged_chilled": 2000,
        "sku_prepackaged_frozen": 2000,
        "sku_bulk_ambient": 2000,
        "sku_bulk_chilled": 200,
        "sku_bulk_frozen": 400,
        "supplier_count": 400,
    }
    # 4 + (2 + 7 + 3) + (5 + 9 + 4) + 6 = 40
    assert static_score(SELLER, facts)[0] == 40


@pytest.mark.parametrize(
    ("key", "value", "points"),
    [
        ("floor_area", 0, "1"),
        ("floor_area", 200, "1"),
        ("floor_area", D("200.01"), "2"),
        ("floor_area", 1000, "2"),
        ("floor_area", 1001, "2.5"),
        ("floor_area", 2000, "2.5"),
        ("floor_area", 2001, "3"),
        ("floor_area", 3000, "3"),
        ("floor_area", 3001, "4"),
        ("sku_prepackaged_ambient", 0, "0"),
        ("sku_prepackaged_ambient", 1, "0.5"),
        ("sku_prepackaged_ambient", 500, "0.5"),
        ("sku_prepackaged_ambient", 501, "1"),
        ("sku_prepackaged_ambient", 2000, "1"),
        ("sku_prepackaged_ambient", 2001, "1.2"),
        ("sku_prepackaged_ambient", 5000, "1.2"),
        ("sku_prepackaged_ambient", 5001, "1.5"),
        ("sku_prepackaged_ambient", 10000, "1.5"),
        ("sku_prepackaged_ambient", 10001, "2"),
        ("sku_prepackaged_chilled", 100, "1"),
        ("sku_prepackaged_chilled", 101, "3"),
        ("sku_prepackaged_chilled", 600, "4"),
        ("sku_prepackaged_chilled", 601, "5"),
        ("sku_prepackaged_chilled", 1000, "5"),
        ("sku_prepackaged_chilled", 1001, "7"),
        ("sku_prepackaged_frozen", 300, "1.5"),
        ("sku_prepackaged_frozen", 1001, "3"),
        ("sku_bulk_ambient", 1000, "3"),
        ("sku_bulk_ambient", 1001, "5"),
        ("sku_bulk_chilled", 1, "6"),
        ("sku_bulk_chilled", 29, "6"),
        ("sku_bulk_chilled", 30, "6.5"),
        ("sku_bulk_chilled", 50, "6.5"),
        ("sku_bulk_chilled", 51, "7"),
        ("sku_bulk_chilled", 150, "8"),
        ("sku_bulk_chilled", 151, "9"),
        ("sku_bulk_frozen", 50, "1"),
        ("sku_bulk_frozen", 300, "3"),
        ("sku_bulk_frozen", 301, "4"),
        ("supplier_count", 50, "2"),
        ("supplier_count", 51, "3"),
        ("supplier_count", 200, "4"),
        ("supplier_count", 300, "5"),
        ("supplier_count", 301, "6"),
    ],
)
def test_seller_bracket_edges(key, value, points):
    assert factor_points(factor(SELLER, key), value)[0] == D(points)


@pytest.mark.parametrize("value", [None, "", True, "many"])
def test_a_missing_fact_scores_nothing(value):
    assert factor_points(factor(SELLER, "floor_area"), value) == (0, "未记录")


def test_a_seller_with_no_facts_scores_zero():
    total, points = static_score(SELLER, {"category": "sales"})
    assert total == 0
    assert len(points) == 8 and all(p.points == 0 and p.basis == "未记录" for p in points)


def test_a_fact_that_is_not_a_finite_number_scores_nothing():
    assert factor_points(factor(SELLER, "floor_area"), "NaN") == (0, "未记录")


def test_a_numeric_fact_given_as_text_is_read_as_a_number():
    assert factor_points(factor(SELLER, "floor_area"), "1500")[0] == D("2.5")


# --- 表1-2 health-food producers ---------------------------------------------------------------------------


def test_a_health_food_producer_worked_by_hand():
    """Several main ingredients (ordinary 4, extracts 13, 药食同源 6): the highest, 13 (就高不就低); compound
    formula 5; weight loss and another function: 10; not for children only: 3; ambient and cold storage: 5.
    13 + 5 + 10 + 3 + 5 = 36."""
    facts = {
        "category": "production",
        "special_foods": ["health_food"],
        "hf_main_ingredient": ["ordinary", "extracts", "medicine_food"],
        "hf_formula": "compound",
        "hf_claimed_function": ["other", "adulteration_prone"],
        "hf_unsuitable_groups": "children",
        "hf_storage": ["ambient", "cold"],
    }
    total, points = static_score(HEALTH_FOOD, facts)
    assert by_key(points) == {
        "main_ingredient": 13,
        "formula": 5,
        "claimed_function": 10,
        "unsuitable_groups": 3,
        "storage": 5,
    }
    assert total == 36
    assert points[0].basis == "普通食品原料、提取物、按照传统既是食品又是中药材的物质（药食同源）"


def test_the_riskiest_health_food_scores_the_table_maximum():
    facts = {
        "hf_main_ingredient": ["extracts"],
        "hf_formula": "compound",
        "hf_claimed_function": ["adulteration_prone"],
        "hf_unsuitable_groups": "none",
        "hf_storage": ["cold"],
    }
    assert static_score(HEALTH_FOOD, facts)[0] == 40  # 13 + 5 + 10 + 7 + 5


def test_an_unknown_choice_scores_nothing():
    assert factor_points(factor(HEALTH_FOOD, "main_ingredient"), ["stardust"]) == (0, "未记录")
    assert factor_points(factor(HEALTH_FOOD, "main_ingredient"), ["stardust", "vitamins_minerals"])[0] == 10


# --- 表1-4 caterers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "points"),
    [(50, 2), (150, 2), (151, 4), (500, 4), (501, 6), (1000, 6), (1001, 8), (3000, 8), (3001, 10), (D("3000.5"), 10)],
)
def test_a_caterer_is_scaled_by_floor_area(area, points):
    total, lines = static_score(CATERER, {"category": "catering", "floor_area_m2": area, "daily_diners": 900})
    assert by_key(lines)["scale_area"] == points
    assert "scale_diners" not in by_key(lines)  # diners count only for school canteens
    assert total == points + 2  # + 社会餐饮 2


@pytest.mark.parametrize(
    ("diners", "points"), [(1, 2), (50, 2), (51, 4), (300, 4), (301, 7), (500, 7), (501, 10), (3000, 10)]
)
@pytest.mark.parametrize("kind", ["school", "kindergarten"])
def test_a_school_canteen_is_scaled_by_diners(kind, diners, points):
    facts = {"category": "canteen", "canteen_kind": kind, "floor_area_m2": 5000, "daily_diners": diners}
    lines = by_key(static_score(CATERER, facts)[1])
    assert lines["scale_diners"] == points
    assert "scale_area" not in lines  # its floor area does not count


def test_an_enterprise_canteen_is_scaled_by_floor_area():
    facts = {"category": "canteen", "canteen_kind": "enterprise", "floor_area_m2": 600, "daily_diners": 1000}
    lines = by_key(static_score(CATERER, facts)[1])
    assert lines["scale_area"] == 6 and "scale_diners" not in lines
    assert lines["business_format"] == 6  # 单位食堂


def test_a_restaurant_worked_by_hand():
    """320 m² (151–500 → 4); hot and cold dishes: 8 (the higher); high-risk perishables: 6; general public: 2;
    社会餐饮: 2. 4 + 8 + 6 + 2 + 2 = 22."""
    facts = {
        "category": "catering",
        "floor_area_m2": D("320"),
        "catering_food_kinds": ["hot", "cold"],
        "handles_high_risk_foods": True,
        "consumer_group": ["general"],
    }
    total, points = static_score(CATERER, facts)
    assert by_key(points) == {
        "scale_area": 4,
        "food_kinds": 8,
        "high_risk_foods": 6,
        "consumer_group": 2,
        "business_format": 2,
    }
    assert total == 22
    assert factor_points(factor(CATERER, "high_risk_foods"), False) == (0, "否")
    assert factor_points(factor(CATERER, "high_risk_foods"), None) == (0, "未记录")


# --- 表1-1 producers by SC category ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("categories", "points"),
    [
        (["01"], "14.0"),  # 粮食加工品 [S]
        (["05"], "32"),  # 乳制品, tier Ⅳ
        (["01", "05", "12"], "32"),  # several categories: the highest counts
        (["A03"], "26"),  # 复配食品添加剂
        (["99"], "20"),  # not in the table: the default
        (["08", "99"], "20"),  # 14 or the default 20: the highest
        ([], "0"),  # no SC licence: missing, 0
    ],
)
def test_a_producer_is_scored_by_its_sc_categories(categories, points):
    total, lines = static_score(PRODUCER, {"category": "production", "sc_food_category": categories})
    assert total == D(points)
    assert [line.key for line in lines] == ["sc_category"]


def test_an_unlisted_sc_category_says_so():
    assert factor_points(factor(PRODUCER, "sc_category"), ["99"]) == (20, "99（表中未列）")
    assert factor_points(factor(PRODUCER, "sc_category"), ["04"]) == (32, "04 肉制品（Ⅳ档）")


def test_the_static_total_is_capped_at_the_table_max():
    table = dataclasses.replace(PRODUCER, max=D(25))  # a file cannot say this (test_ruleset), code can
    total, lines = static_score(table, {"sc_food_category": ["05"]})
    assert total == 25 and lines[0].points == 32


def test_no_table_scores_nothing_and_says_so():
    total, points = static_score(None, {})
    assert total == 0 and [p.key for p in points] == ["no_table"]


# --- bands and grade shifts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("0", "A"),
        ("30", "A"),
        ("30.1", "B"),
        ("45", "B"),
        ("45.1", "C"),
        ("60", "C"),
        ("60.1", "D"),
        ("100", "D"),
    ],
)
def test_band_edges(score, grade):
    assert band(D(score), CN2016.bands) == grade
    assert band(D(score), CN2022.bands) == grade


@pytest.mark.parametrize(
    ("grade", "levels", "shifted"),
    [("B", 1, "C"), ("B", 2, "D"), ("C", 2, "D"), ("D", 1, "D"), ("A", 3, "D"), ("B", -1, "A"), ("A", -1, "A")],
)
def test_shift_grade_stays_within_a_to_d(grade, levels, shifted):
    assert shift_grade(grade, levels) == shifted


@given(st.decimals(0, 100, places=1), st.decimals(0, 100, places=1))
def test_band_rises_with_the_score(low, high):
    low, high = min(low, high), max(low, high)
    assert "ABCD".index(band(low, CN2016.bands)) <= "ABCD".index(band(high, CN2016.bands))


# --- dynamic part ------------------------------------------------------------------------------------------


def test_before_any_inspection_the_dynamic_part_is_the_default_share():
    score, points = dynamic_score(D(60), None, D("0.5"))
    assert score == 30
    assert [(p.part, p.key, p.points) for p in points] == [("dynamic", "no_inspection", 30)]
    assert dynamic_score(D(40), None, D("0.25"))[0] == 10


@pytest.mark.parametrize(
    ("weight", "failed", "applicable", "score"),
    [
        (60, 0, 80, "0"),
        (60, 8, 80, "6.0"),
        (60, 7, 45, "9.3"),  # 9.333…
        (60, 2, 3, "40.0"),
        (40, 5, 32, "6.3"),  # 6.25 rounds half up
        (40, 1, 3, "13.3"),
        (60, 80, 80, "60"),
    ],
)
def test_the_dynamic_part_is_the_weight_times_the_failed_share(weight, failed, applicable, score):
    result, points = dynamic_score(D(weight), inspection(failed, applicable), D("0.5"))
    assert result == D(score)
    assert str(result) == str(D(score).quantize(D("0.1")))
    assert points[0].key == "inspection" and points[0].points == result


def test_each_failed_item_is_listed():
    basis = inspection(5, 50, items=(("1.2", "健康证明", D(3)), ("4.1", "清洗消毒", D(2))))
    score, points = dynamic_score(D(60), basis, D("0.5"))
    assert score == 6
    assert [(p.key, p.points, p.basis) for p in points[1:]] == [
        ("item:1.2", 3, "不符合"),
        ("item:4.1", 2, "不符合"),
    ]
    assert "不符合项 5 分 / 适用项 50 分" in points[0].basis


def test_an_inspection_with_nothing_applicable_scores_nothing():
    assert dynamic_score(D(60), inspection(0, 0), D("0.5"))[0] == 0


def test_no_dynamic_weight_no_dynamic_part():
    assert dynamic_score(D(0), None, D("0.5")) == (0, [])


# --- credit part (cn-2022) ---------------------------------------------------------------------------------


def test_credit_counts_listed_events_inside_the_look_back():
    events = [
        event("sample.failed", days_ago(730)),  # the first day of the 730-day look-back: 4
        event("penalty.imposed", days_ago(731)),  # one day too old
        event("penalty.intentional", days_ago(1)),  # 8
        event("incident", days_ago(10)),  # not a credit event
        event("inspection.noncompliant", TODAY + datetime.timedelta(days=1)),  # not yet
    ]
    score, points = credit_score(CN2022, events, TODAY)
    assert score == 12
    assert [(p.key, p.points) for p in points] == [("sample.failed", 4), ("penalty.intentional", 8)]
    assert points[0].basis == f"{days_ago(730).isoformat()} sample.failed"


def test_credit_is_capped_at_its_weight():
    events = [
        event("inspection.obstructed", days_ago(5)),
        event("penalty.intentional", days_ago(50)),
        event("recall.failed", days_ago(500)),
    ]
    score, points = credit_score(CN2022, events, TODAY)
    assert score == 20
    assert sum(p.points for p in points) == 24  # 10 + 8 + 6: every event is still explained


def test_the_same_event_twice_counts_twice():
    events = [event("sample.failed", days_ago(5)), event("sample.failed", days_ago(90))]
    assert credit_score(CN2022, events, TODAY)[0] == 8


def test_a_scheme_without_credit_scores_none():
    assert credit_score(CN2016, [event("sample.failed", days_ago(5))], TODAY) == (0, [])


# --- adjustments (cn-2016) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["penalty.intentional", "sample.failed", "recall.failed"], ids=lambda k: k.replace(".", "-")
)
def test_a_listed_event_within_a_year_raises_by_one(kind):
    grade, points = adjusted_grade(CN2016, "B", [event(kind, days_ago(365))], TODAY, record_since=None)
    assert grade == "C"
    assert [(p.part, p.key, p.points) for p in points] == [("adjustment", f"raise:{kind}", 1)]


@pytest.mark.parametrize("kind", ["incident", "inspection.obstructed"], ids=lambda k: k.replace(".", "-"))
def test_an_incident_or_obstruction_raises_by_two(kind):
    assert adjusted_grade(CN2016, "A", [event(kind, days_ago(3))], TODAY, record_since=None)[0] == "C"
    assert adjusted_grade(CN2016, "C", [event(kind, days_ago(3))], TODAY, record_since=None)[0] == "D"


def test_raising_rules_do_not_add_up():
    events = [event("sample.failed", days_ago(10)), event("incident", days_ago(20))]
    grade, points = adjusted_grade(CN2016, "A", events, TODAY, record_since=None)
    assert grade == "C"  # the larger raise (2), not 1 + 2
    assert sorted(p.points for p in points) == [1, 2]


def test_an_event_outside_the_window_does_not_raise():
    events = [event("sample.failed", days_ago(366)), event("incident", TODAY + datetime.timedelta(days=1))]
    assert adjusted_grade(CN2016, "B", events, TODAY, record_since=None) == ("B", [])


def test_an_unlisted_event_does_not_raise():
    events = [event("inspection.noncompliant", days_ago(10)), event("penalty.imposed", days_ago(10))]
    assert adjusted_grade(CN2016, "B", events, TODAY, record_since=None) == ("B", [])


def test_three_clean_years_lower_by_one():
    grade, points = adjusted_grade(CN2016, "C", [], TODAY, record_since=days_ago(1095))
    assert grade == "B"
    assert [(p.key, p.points) for p in points] == [("lower", -1)]
    assert points[0].basis == f"自 {days_ago(1095).isoformat()} 起无记录"


def test_an_old_event_before_the_clean_period_does_not_block_lowering():
    events = [event("inspection.noncompliant", days_ago(1096))]
    assert adjusted_grade(CN2016, "C", events, TODAY, record_since=days_ago(2000))[0] == "B"


def test_no_lowering_without_three_years_on_record():
    assert adjusted_grade(CN2016, "C", [], TODAY, record_since=days_ago(1094)) == ("C", [])


def test_no_lowering_when_never_inspected():
    assert adjusted_grade(CN2016, "C", [], TODAY, record_since=None) == ("C", [])


@pytest.mark.parametrize("kind", ["inspection.noncompliant", "penalty.imposed", "inspection.stop_order"])
def test_a_violation_in_the_clean_period_blocks_lowering(kind):
    events = [event(kind, days_ago(1000))]
    assert adjusted_grade(CN2016, "C", events, TODAY, record_since=days_ago(2000)) == ("C", [])


def test_a_certification_lowers_without_a_clean_period():
    certified = [event("certification.haccp", days_ago(30))]
    grade, points = adjusted_grade(CN2016, "B", certified, TODAY, record_since=None)
    assert grade == "A"
    assert points[0].points == -1 and points[0].basis.startswith(days_ago(30).isoformat())
    assert adjusted_grade(CN2016, "A", certified, TODAY, record_since=None)[0] == "A"
    # cn-2022 lowers only by certification
    assert adjusted_grade(CN2022, "C", certified, TODAY, record_since=None)[0] == "B"
    assert adjusted_grade(CN2022, "C", [], TODAY, record_since=days_ago(5000))[0] == "C"


def test_a_certification_not_yet_granted_does_not_lower():
    future = [event("certification.haccp", TODAY + datetime.timedelta(days=1))]
    assert adjusted_grade(CN2016, "B", future, TODAY, record_since=None) == ("B", [])


def test_raising_wins_over_lowering():
    events = [event("certification.haccp", days_ago(30)), event("sample.failed", days_ago(40))]
    grade, points = adjusted_grade(CN2016, "B", events, TODAY, record_since=days_ago(5000))
    assert grade == "C"
    assert [p.key for p in points] == ["raise:sample.failed"]


# --- forced grade ------------------------------------------------------------------------------------------


def test_the_dishonesty_list_forces_d():
    grade, points = forced_grade(CN2022, [event("dishonesty.listed", days_ago(900))], TODAY)
    assert grade == "D"
    assert [(p.part, p.key, p.points) for p in points] == [("force", "dishonesty.listed", 0)]
    assert forced_grade(CN2022, [], TODAY) == (None, [])
    assert forced_grade(CN2022, [event("dishonesty.listed", TODAY + datetime.timedelta(days=1))], TODAY)[0] is None
    assert forced_grade(CN2016, [event("dishonesty.listed", days_ago(1))], TODAY) == (None, [])


# --- the whole grade ---------------------------------------------------------------------------------------

HEALTH_FOOD_FACTS = {
    "category": "production",
    "special_foods": ["health_food"],
    "hf_main_ingredient": ["ordinary", "extracts", "medicine_food"],
    "hf_formula": "compound",
    "hf_claimed_function": ["other", "adulteration_prone"],
    "hf_unsuitable_groups": "children",
    "hf_storage": ["ambient", "cold"],
}


def test_assess_explains_every_part():
    """cn-2022: static 36 (表1-2 by hand above); dynamic 40 × 10/100 = 4; credit: a failed sample 4 + an
    intentional violation 8 = 12; total 52 → C, raised one level for the intentional violation → D."""
    events = [event("sample.failed", days_ago(200)), event("penalty.intentional", days_ago(100))]
    result = assess(CN2022, HEALTH_FOOD_FACTS, inspection=inspection(10, 100), events=events, today=TODAY)
    assert (result.table, result.static, result.dynamic, result.credit) == ("health_food_producer", 36, 4, 12)
    assert (result.total, result.score_grade, result.grade) == (52, "C", "D")

    def part(name):
        return [p for p in result.points if p.part == name]

    assert sum(p.points for p in part("static")) == result.static
    assert [p.points for p in part("dynamic")] == [result.dynamic]
    assert sum(p.points for p in part("credit")) == result.credit
    assert [(p.key, p.points) for p in part("adjustment")] == [("raise:penalty.intentional", 1)]
    assert part("force") == []
    assert [p.part for p in result.points] == ["static"] * 5 + ["dynamic", "credit", "credit", "adjustment"]
    assert all(set(p.as_dict()) == {"part", "key", "label", "points", "basis"} for p in result.points)
    assert part("credit")[0].as_dict()["points"] == "4"


def test_assess_forces_d_for_a_listed_operator():
    facts = {"category": "sales", "floor_area_m2": 100}
    events = [event("dishonesty.listed", days_ago(10))]
    result = assess(CN2022, facts, inspection=inspection(0, 100), events=events, today=TODAY)
    assert (result.total, result.score_grade, result.grade) == (1, "A", "D")
    assert [p.part for p in result.points][-1] == "force"


def test_a_forced_grade_never_lowers():
    data = shipped_data("cn-2022")
    data["credit"]["force"][0]["grade"] = "B"
    spec = parse_ruleset(data)
    events = [event("dishonesty.listed", days_ago(10))]
    facts = {"category": "sales", "floor_area_m2": 3500, "sku_bulk_chilled": 200}  # 4 + 9 = 13
    high = assess(spec, facts, inspection=inspection(100, 100), events=events, today=TODAY)
    assert (high.total, high.score_grade, high.grade) == (53, "C", "C")  # 13 + 40: forced B does not lower C
    low = assess(spec, {"category": "sales"}, inspection=inspection(0, 100), events=events, today=TODAY)
    assert (low.score_grade, low.grade) == ("A", "B")


def test_assess_lowers_after_a_clean_period_only_when_inspected():
    facts = {"category": "sales", "floor_area_m2": 100}  # 1 point
    since = days_ago(2000)
    without = assess(CN2016, facts, inspection=None, events=[], today=TODAY, record_since=since)
    assert (without.total, without.grade) == (31, "B")  # 1 + 30: no inspection, no lowering
    inspected = assess(CN2016, facts, inspection=inspection(40, 80), events=[], today=TODAY, record_since=since)
    assert (inspected.total, inspected.score_grade, inspected.grade) == (31, "B", "A")


def test_assess_without_a_table():
    result = assess(CN2016, {"category": "space_station"}, inspection=None, events=[], today=TODAY)
    assert (result.table, result.static, result.total, result.grade) == ("", 0, 30, "A")


FACT_VALUES = st.one_of(
    st.none(),
    st.integers(0, 100_000),
    st.decimals(0, 100_000, places=2),
    st.booleans(),
    st.sampled_from(["hot", "raw", "extracts", "compound", "none", "cold", "general", "students", "01", "99"]),
    st.lists(st.sampled_from(["hot", "raw", "extracts", "ordinary", "cold", "ambient", "05", "99", "A03"])),
)
FACT_KEYS = sorted({f.fact for t in CN2016.static for f in t.factors} - {"category"})
EVENT_KINDS = sorted(CN2016.event_kinds | CN2022.event_kinds)


@st.composite
def inspections(draw):
    if draw(st.booleans()):
        return None
    applicable = draw(st.integers(0, 300))
    return inspection(draw(st.integers(0, applicable)), applicable)


@given(
    spec=st.sampled_from([CN2016, CN2022]),
    category=st.sampled_from(["production", "workshop", "sales", "catering", "canteen", "vendor", "cold_storage"]),
    special_foods=st.lists(st.sampled_from(["health_food", "infant_formula"])),
    canteen_kind=st.sampled_from(["", "school", "enterprise"]),
    facts=st.dictionaries(st.sampled_from(FACT_KEYS), FACT_VALUES),
    basis=inspections(),
    events=st.lists(st.tuples(st.sampled_from(EVENT_KINDS), st.integers(-30, 2000)), max_size=8),
)
def test_assess_always_scores_within_0_to_100(spec, category, special_foods, canteen_kind, facts, basis, events):
    facts = facts | {"category": category, "special_foods": special_foods, "canteen_kind": canteen_kind}
    risk_events = [event(kind, days_ago(n)) for kind, n in events]
    result = assess(spec, facts, inspection=basis, events=risk_events, today=TODAY, record_since=days_ago(1500))
    assert 0 <= result.static <= spec.weights["static"]
    assert 0 <= result.dynamic <= spec.weights["dynamic"]
    assert 0 <= result.credit <= spec.weights["credit"]
    assert 0 <= result.total <= 100
    assert result.score_grade == band(result.total, spec.bands)
    assert result.grade in "ABCD"
    static_points = sum(p.points for p in result.points if p.part == "static")
    assert result.static == min(static_points, spec.weights["static"])
