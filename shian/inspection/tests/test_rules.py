import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shian.inspection.choices import Result
from shian.inspection.rules import (
    Answer,
    Inspector,
    checklist_result,
    draw_inspectors,
    draw_targets,
    full_inspection_due,
    key_target_reasons,
    repeat_blocked,
    required_inspections,
    risk_points,
    years_before,
)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([Answer(key=True, outcome="yes"), Answer(key=False, outcome="na")], Result.COMPLIANT),
        ([Answer(key=True, outcome="yes"), Answer(key=False, outcome="no")], Result.BASIC),
        ([Answer(key=False, outcome="no"), Answer(key=False, outcome="no")], Result.BASIC),
        ([Answer(key=True, outcome="no"), Answer(key=False, outcome="yes")], Result.NONCOMPLIANT),
        ([Answer(key=False, outcome="no", affects_safety=True)], Result.NONCOMPLIANT),
        ([], Result.COMPLIANT),
    ],
    ids=["all-met", "general-failed", "two-general-failed", "key-failed", "general-affects-safety", "empty"],
)
def test_checklist_result_follows_the_section_1_3_mapping(answers, expected):
    assert checklist_result(answers) == expected


def test_risk_points_count_failed_and_applicable_items_not_the_inapplicable():
    answers = [
        Answer(key=True, outcome="no", points=Decimal(5)),
        Answer(key=False, outcome="yes", points=Decimal(2)),
        Answer(key=False, outcome="na", points=Decimal(1)),
        Answer(key=False, outcome="", points=Decimal(1)),
    ]
    assert risk_points(answers) == (Decimal(5), Decimal(7))


@pytest.mark.parametrize(
    ("category", "special", "grade", "reasons"),
    [
        ("production", True, "A", ["special_food_producer"]),
        ("production", False, "C", ["producer_c_d"]),
        ("production", False, "B", []),
        ("sales", False, "C", []),
        ("sales", False, "D", ["grade_d"]),
        ("central_kitchen", False, "A", ["central_kitchen_or_group_meal"]),
        ("group_meal", False, "D", ["grade_d", "central_kitchen_or_group_meal"]),
    ],
)
def test_key_targets_of_order_49_article_22(category, special, grade, reasons):
    assert key_target_reasons(category=category, makes_special_foods=special, grade=grade) == reasons


def test_two_year_rule_counts_this_year_and_the_year_before():
    assert full_inspection_due(None, 2026)
    assert full_inspection_due(datetime.date(2024, 12, 31), 2026)
    assert not full_inspection_due(datetime.date(2025, 1, 1), 2026)
    assert not full_inspection_due(datetime.date(2026, 3, 1), 2026)


def test_required_inspections_from_frequency_and_the_two_year_rule():
    assert required_inspections(per_year_min=3, every_years=1, full_due=False) == 3
    assert required_inspections(per_year_min=0, every_years=2, full_due=False) == 0  # A of the 2022 scheme
    assert required_inspections(per_year_min=0, every_years=2, full_due=True) == 1
    assert required_inspections(per_year_min=0, every_years=1, full_due=True) == 1


def test_article_42_blocks_repeats_for_three_months_unless_a_lead():
    higher = datetime.date(2026, 3, 1)
    assert repeat_blocked(higher_level_on=higher, today=datetime.date(2026, 4, 1), is_lead=False) == datetime.date(
        2026, 6, 1
    )
    assert repeat_blocked(higher_level_on=higher, today=datetime.date(2026, 4, 1), is_lead=True) is None
    assert repeat_blocked(higher_level_on=higher, today=datetime.date(2026, 6, 1), is_lead=False) is None
    assert repeat_blocked(higher_level_on=None, today=datetime.date(2026, 4, 1), is_lead=False) is None


def test_target_draw_takes_the_ratio_rounded_up_and_depends_only_on_pool_and_seed():
    pool = list(range(1, 101))
    first = draw_targets(pool, Decimal("0.05"), "seed-1")
    assert len(first) == 5 and set(first) <= set(pool)
    assert draw_targets(list(reversed(pool)), Decimal("0.05"), "seed-1") == first
    assert draw_targets(pool, Decimal("0.05"), "seed-2") != first
    assert len(draw_targets(pool[:3], Decimal("0.01"), "s")) == 1


COUNTIES = ["320505", "320506", "320508"]
inspectors_strategy = st.lists(
    st.tuples(st.integers(1, 60), st.sampled_from(["3205", *COUNTIES, "3206"])),
    min_size=0,
    max_size=25,
    unique_by=lambda t: t[0],
)
targets_strategy = st.lists(
    st.tuples(st.integers(1000, 1300), st.sampled_from(COUNTIES)), max_size=40, unique_by=lambda t: t[0]
)


@settings(max_examples=150, deadline=None)
@given(
    targets=targets_strategy,
    people=inspectors_strategy,
    exclusions=st.dictionaries(st.integers(1000, 1300), st.sets(st.integers(1, 60), max_size=5), max_size=10),
    seed=st.text(min_size=1, max_size=8),
)
def test_inspector_draw_constraints(targets, people, exclusions, seed):
    inspectors = [Inspector(id=i, region=r) for i, r in people]
    region_of = {i.id: i.region for i in inspectors}
    result = draw_inspectors(targets, inspectors, excluded=exclusions, seed=seed)
    county_of = dict(targets)
    assert set(result.pairs) | set(result.unassigned) == set(county_of)
    for operator_id, pair in result.pairs.items():
        assert len(set(pair)) == 2  # two different inspectors
        for person in pair:
            assert county_of[operator_id].startswith(region_of[person])  # their agency covers the county
            assert person not in exclusions.get(operator_id, set())  # recusal and last inspectors
    for operator_id in result.unassigned:
        eligible = [
            i
            for i in inspectors
            if county_of[operator_id].startswith(i.region) and i.id not in exclusions.get(operator_id, set())
        ]
        assert len(eligible) < 2
    # reproducible from the seed and the pool, whatever order the pool was given in
    again = draw_inspectors(list(reversed(targets)), list(reversed(inspectors)), excluded=exclusions, seed=seed)
    assert again.pairs == result.pairs


def test_inspector_draw_balances_the_load():
    inspectors = [Inspector(id=i, region="320508") for i in range(1, 11)]
    targets = [(n, "320508") for n in range(100)]
    result = draw_inspectors(targets, inspectors, excluded={}, seed="balance")
    loads = [result.load[i.id] for i in inspectors]
    assert sum(loads) == 200 and max(loads) - min(loads) <= 1


def test_two_years_before_a_leap_day_is_the_28th():
    assert years_before(datetime.date(2028, 2, 29), 2) == datetime.date(2026, 2, 28)
    assert years_before(datetime.date(2026, 12, 1), 2) == datetime.date(2024, 12, 1)
