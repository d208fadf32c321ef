"""Judging a lab's result against its limit, and which limit applies (pure rules, no database)."""

import datetime
from decimal import Decimal as D

import pytest

from shian.sampling.choices import LimitKind, Verdict
from shian.sampling.rules import LimitCandidate, LimitRule, applicable_limit, judge, needs_review, sample_verdict
from shian.sampling.units import Reading, UnreadableValue, convert, read_value, unit_of

SORBIC = LimitRule(LimitKind.MAX, D("1.0"), "g/kg", "GB 2760-2024 表A.1")
NITROGEN = LimitRule(LimitKind.MIN, D("0.4"), "g/100mL", "GB 2717-2018 表2")
SALMONELLA = LimitRule(LimitKind.NOT_DETECTED, None, "/25g", "GB 10765-2021 表4")
CYCLAMATE = LimitRule(LimitKind.NOT_PERMITTED, None, "g/kg", "GB 2760-2024 附录A")


def test_a_value_equal_to_the_limit_passes_and_one_above_fails():
    assert judge(Reading(D("1.0")), "g/kg", SORBIC).verdict == Verdict.PASS
    over = judge(Reading(D("1.01")), "g/kg", SORBIC)
    assert (over.verdict, over.reason) == (Verdict.FAIL, "over_limit")
    assert over.citation == "GB 2760-2024 表A.1" and over.detail == "1.01 g/kg > 1 g/kg"


@pytest.mark.parametrize(
    ("value", "unit", "verdict"),
    [
        ("1000", "mg/kg", Verdict.PASS),  # 1000 mg/kg is exactly 1.0 g/kg
        ("1000.1", "mg/kg", Verdict.FAIL),
        ("999999", "μg/kg", Verdict.PASS),
        ("1000001", "μg/kg", Verdict.FAIL),
        ("0.1", "%", Verdict.PASS),  # 0.1 % by mass is 1 g/kg
        ("0.11", "g/100g", Verdict.FAIL),
    ],
)
def test_values_are_converted_to_the_limits_unit_before_comparing(value, unit, verdict):
    judgment = judge(Reading(D(value)), unit, SORBIC)
    assert judgment.verdict == verdict
    assert "g/kg" in judgment.detail and "=" in judgment.detail  # the conversion is shown


def test_a_unit_of_another_dimension_is_not_compared():
    judgment = judge(Reading(D("0.5")), "g/L", SORBIC)
    assert (judgment.verdict, judgment.reason) == (Verdict.NOT_JUDGED, "unit_mismatch")


def test_not_detected_or_below_the_detection_limit_passes():
    assert judge(Reading(None, not_detected=True), "mg/kg", SORBIC).reason == "not_detected"
    below = judge(Reading(D("0.004"), lod=D("0.005")), "mg/kg", SORBIC)
    assert (below.verdict, below.reason) == (Verdict.PASS, "not_detected")


def test_not_detected_by_a_method_blind_to_the_limit_is_not_judged():
    blind = judge(Reading(None, not_detected=True, lod=D("2")), "g/kg", SORBIC)
    assert (blind.verdict, blind.reason) == (Verdict.NOT_JUDGED, "lod_above_limit")
    assert judge(Reading(None, not_detected=True, lod=D("1.0")), "g/kg", SORBIC).verdict == Verdict.PASS


def test_any_detection_of_a_banned_or_must_not_be_detected_substance_fails():
    assert judge(Reading(D("0.01")), "g/kg", CYCLAMATE).reason == "detected_not_permitted"
    assert judge(Reading(D("1")), "/25g", SALMONELLA).reason == "detected_must_not"
    assert judge(Reading(None, not_detected=True), "/25g", SALMONELLA).verdict == Verdict.PASS
    assert judge(Reading(None, not_detected=True), "g/kg", CYCLAMATE).verdict == Verdict.PASS


def test_a_minimum_is_met_at_or_above_it():
    assert judge(Reading(D("0.40")), "g/100mL", NITROGEN).verdict == Verdict.PASS
    assert judge(Reading(D("0.39")), "g/100mL", NITROGEN).reason == "below_minimum"
    assert judge(Reading(None, not_detected=True), "g/100mL", NITROGEN).verdict == Verdict.FAIL


def test_without_a_limit_the_item_is_reported_but_not_judged():
    judgment = judge(Reading(D("5")), "mg/kg", None)
    assert (judgment.verdict, judgment.reason, judgment.citation) == (Verdict.NOT_JUDGED, "no_limit", "")


def test_a_sample_fails_on_any_item_and_passes_when_none_fails():
    assert sample_verdict([Verdict.PASS, Verdict.FAIL, Verdict.NOT_JUDGED]) == Verdict.FAIL
    assert sample_verdict([Verdict.PASS, Verdict.PASS]) == Verdict.PASS
    assert sample_verdict([Verdict.PASS, Verdict.NOT_JUDGED]) == Verdict.PASS  # an item without a limit
    assert sample_verdict([Verdict.NOT_JUDGED]) is None
    assert sample_verdict([]) is None


def test_an_incomparable_unit_or_a_blind_method_needs_a_person():
    assert needs_review(judge(Reading(D("0.5")), "g/L", SORBIC))
    assert needs_review(judge(Reading(None, not_detected=True, lod=D("2")), "g/kg", SORBIC))
    assert not needs_review(judge(Reading(D("5")), "mg/kg", None))
    assert not needs_review(judge(Reading(D("2")), "g/kg", SORBIC))


def _candidate(rule, category, start, end=None):
    dates = datetime.date.fromisoformat(start), end and datetime.date.fromisoformat(end)
    return category, LimitCandidate(rule, *dates)


def _by_category(*candidates):
    found = {}
    for category, candidate in candidates:
        found.setdefault(category, []).append(candidate)
    return found


def test_the_most_specific_category_in_force_on_the_date_applies():
    general = LimitRule(LimitKind.MAX, D("0.5"), "mg/kg", "GB 2762 蔬菜")
    old = LimitRule(LimitKind.MAX, D("0.1"), "mg/kg", "GB 2763-2019")
    new = LimitRule(LimitKind.MAX, D("0.05"), "mg/kg", "GB 2763-2021")
    banned = LimitRule(LimitKind.NOT_DETECTED, None, "mg/kg", "公告")
    candidates = _by_category(
        _candidate(general, "0801", "2020-01-01"),
        _candidate(old, "080101", "2020-01-01", "2021-09-03"),
        _candidate(new, "080101", "2021-09-03"),
        _candidate(banned, "", "2020-01-01"),
    )
    chain = ["080101", "0801", "08"]
    assert applicable_limit(candidates, chain, datetime.date(2021, 9, 2)) is old
    assert applicable_limit(candidates, chain, datetime.date(2021, 9, 3)) is new
    assert applicable_limit(candidates, ["080102", "0801", "08"], datetime.date(2022, 1, 1)) is general
    assert applicable_limit(candidates, ["0901", "09"], datetime.date(2022, 1, 1)) is banned
    assert applicable_limit(candidates, chain, datetime.date(2019, 1, 1)) is None


def test_where_two_standards_set_a_limit_the_stricter_applies():
    loose = LimitRule(LimitKind.MAX, D("1"), "mg/kg", "A")
    strict = LimitRule(LimitKind.MAX, D("500"), "μg/kg", "B")
    candidates = _by_category(_candidate(loose, "01", "2020-01-01"), _candidate(strict, "01", "2020-01-01"))
    assert applicable_limit(candidates, ["01"], datetime.date(2024, 1, 1)) is strict


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("0.05", Reading(D("0.05"))),
        (" 1.2×10³ ", Reading(D("1200"))),
        ("4.5x10^3", Reading(D("4500"))),
        ("3.5E-2", Reading(D("0.035"))),
        ("未检出", Reading(None, True)),
        ("ND", Reading(None, True)),
        ("<0.01", Reading(None, True, D("0.01"))),
        ("＜0.01", Reading(None, True, D("0.01"))),
        ("未检出(<0.005)", Reading(None, True, D("0.005"))),
    ],
)
def test_a_labs_usual_ways_of_writing_a_value_are_read(text, reading):
    assert read_value(text) == reading


@pytest.mark.parametrize(
    ("text", "why"), [("", "empty"), ("abc", "not a number"), ("-1", "negative"), ("nan", "not a number")]
)
def test_an_unreadable_value_says_why(text, why):
    with pytest.raises(UnreadableValue, match=why):
        read_value(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("μg/kg", "μg/kg"),
        ("ug/kg", "μg/kg"),
        ("µg/kg", "μg/kg"),
        ("微克/千克", "μg/kg"),
        ("MG/KG", "mg/kg"),
        ("g／kg", "g/kg"),
        ("mg/l", "mg/L"),
        ("cfu/ml", "CFU/mL"),
        ("毫克/升", "mg/L"),
    ],
)
def test_units_are_recognised_in_their_usual_spellings(text, code):
    assert unit_of(text).code == code


def test_an_unknown_unit_is_none_and_conversion_stays_within_a_dimension():
    assert unit_of("furlongs") is None
    assert convert(D("2.5"), unit_of("g/kg"), unit_of("mg/kg")) == D("2500")
    assert convert(D("1"), unit_of("g/kg"), unit_of("g/L")) is None
