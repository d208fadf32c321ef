"""Rule-set files: the shipped ones parse, a bad one is refused with every problem and its place in the file,
and an operator's facts pick its static table."""

import datetime
from decimal import Decimal

import pytest

from shian.risk.ruleset import Frequency, Match, RuleSetError, parse_ruleset

from .shipped import shipped_data, shipped_spec

# Places in cn-2016.toml: static[0] 表1-2 health food, [1] 表1-1 producers, [2] 表1-3 sellers, [3] 表1-4 caterers


def problems_of(data: dict) -> list[str]:
    with pytest.raises(RuleSetError) as caught:
        parse_ruleset(data)
    assert str(caught.value) == "; ".join(caught.value.problems)
    return caught.value.problems


def problems_or_none(data: dict) -> list[str]:
    """The problems of a file, none when it parses."""
    try:
        parse_ruleset(data)
    except RuleSetError as error:
        return error.problems
    return []


def factor(data: dict, table: int, index: int) -> dict:
    return data["static"][table]["factors"][index]


# --- the shipped files -------------------------------------------------------------------------------------


def test_the_2016_trial_measures_parse():
    spec = shipped_spec("cn-2016")
    assert (spec.code, spec.version, spec.jurisdiction) == ("cn-2016", 1, "")
    assert spec.effective_from == datetime.date(2016, 12, 1)
    assert spec.weights == {"static": 40, "dynamic": 60, "credit": 0}
    assert spec.bands == (("A", 30), ("B", 45), ("C", 60), ("D", None))
    assert spec.frequency["A"] == Frequency(per_year_min=1)
    assert spec.frequency["D"] == Frequency(per_year_min=3, per_year_max=4)
    assert spec.no_inspection_share == Decimal("0.5")
    assert [t.key for t in spec.static] == ["health_food_producer", "producer", "seller", "caterer"]
    assert all(t.max == 40 for t in spec.static)
    assert spec.credit_rules == () and spec.forced == ()
    assert [(a.direction, a.levels) for a in spec.adjustments] == [("raise", 1), ("raise", 2), ("lower", 1)]
    # Facts the registry does not keep are recorded on the risk page
    assert spec.facts_recorded == (
        "catering_food_kinds",
        "consumer_group",
        "hf_claimed_function",
        "hf_formula",
        "hf_main_ingredient",
        "hf_storage",
        "hf_unsuitable_groups",
    )
    assert spec.longest_lookback_days == 1095  # the three clean years of the lowering rule
    assert {"sample.failed", "incident", "certification.haccp"} <= spec.event_kinds


def test_the_2022_draft_model_parses():
    spec = shipped_spec("cn-2022")
    assert (spec.code, spec.jurisdiction, spec.effective_from) == ("cn-2022", "340000", datetime.date(2022, 2, 17))
    assert spec.weights == {"static": 40, "dynamic": 40, "credit": 20}
    assert spec.frequency["A"] == Frequency(per_year_min=0, every_years=2)
    assert spec.frequency["C"] == Frequency(per_year_min=2)
    assert spec.credit_lookback_days == 730
    assert {r.event: r.points for r in spec.credit_rules}["penalty.intentional"] == 8
    assert [(f.event, f.grade) for f in spec.forced] == [("dishonesty.listed", "D")]
    assert spec.longest_lookback_days == 1095  # the listing and a certificate count for three years
    assert "dishonesty.listed" in spec.event_kinds


def test_the_caterer_table_counts_its_two_scale_factors_once():
    """Area (other caterers) and diners (school canteens) never both apply: 10 + 30 fits the max of 40."""
    caterer = shipped_spec("cn-2016").static[3]
    assert [f.key for f in caterer.factors if f.match or f.unless] == ["scale_area", "scale_diners"]
    assert sum(f.max_points for f in caterer.factors) == 50
    data = shipped_data("cn-2016")
    factor(data, 3, 1)["brackets"][-1]["points"] = 12  # diners can now give 12: 30 + 12 > 40
    assert problems_of(data) == ["static[3]: its factors can give 42 points, more than its max 40"]


# --- bad files: each problem with its place ----------------------------------------------------------------


def _drop_band(data, grade):
    data["bands"] = [b for b in data["bands"] if b["grade"] != grade]


def _set(path, value):
    """A change setting data[path…] = value."""

    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


BAD_2016 = [
    pytest.param(_delete(["bands"]), "bands: missing", id="missing-bands"),
    pytest.param(
        lambda d: _drop_band(d, "C"), "bands: one band per grade in the order A, B, C, D", id="band-missing-a-grade"
    ),
    pytest.param(_set(["bands", 3, "grade"], "E"), "bands[3].grade: a grade A/B/C/D, not 'E'", id="bad-grade-letter"),
    pytest.param(_set(["bands", 1, "max"], 25), "bands: upper limits must rise from A to D", id="bands-not-rising"),
    pytest.param(_set(["bands", 3, "max"], 100), "bands: the last band has no max", id="last-band-with-max"),
    pytest.param(_delete(["bands", 1, "max"]), "bands[1].max: missing", id="band-max-missing"),
    pytest.param(_set(["weights", "dynamic"], 50), "weights: must add up to 100, not 90", id="weights-90"),
    pytest.param(_set(["weights", "static"], 45), "weights: must add up to 100, not 105", id="weights-105"),
    pytest.param(_delete(["weights", "static"]), "weights.static: missing", id="weight-missing"),
    pytest.param(_set(["weights", "dynamic"], "sixty"), "weights.dynamic: must be a number, not 'sixty'", id="nan"),
    pytest.param(_set(["weights", "credit"], True), "weights.credit: must be a number, not True", id="bool-weight"),
    pytest.param(
        _set(
            ["static", 2, "factors", 0, "brackets"],
            [{"max": 1000, "points": 2}, {"max": 200, "points": 1}, {"points": 4}],
        ),
        "static[2].factors[0].brackets: upper limits must rise",
        id="brackets-not-rising",
    ),
    pytest.param(
        _set(
            ["static", 2, "factors", 7, "brackets"], [{"max": 50, "points": 2}, {"max": 50, "points": 3}, {"points": 6}]
        ),
        "static[2].factors[7].brackets: upper limits must rise",
        id="brackets-repeated",
    ),
    pytest.param(
        _set(["static", 2, "factors", 7, "brackets"], [{"max": 50, "points": 2}, {"max": 300, "points": 6}]),
        "static[2].factors[7].brackets: the last bracket has no max",
        id="last-bracket-with-max",
    ),
    pytest.param(
        _delete(["static", 2, "factors", 0, "brackets", 2, "max"]),
        "static[2].factors[0].brackets[2].max: missing",
        id="middle-bracket-without-max",
    ),
    pytest.param(
        _set(["static", 0, "factors", 1, "kind"], "ratio"),
        "static[0].factors[1].kind: one of range, choice, flag, sc_category",
        id="unknown-factor-kind",
    ),
    pytest.param(
        _set(["static", 2, "max"], 30),
        "static[2]: its factors can give 40 points, more than its max 30",
        id="factors-exceed-max",
    ),
    pytest.param(
        _set(["static", 0, "factors", 1, "choices", 1, "value"], "single"),
        "static[0].factors[1].choices: each value once",
        id="duplicate-choice",
    ),
    pytest.param(
        _set(["static", 1, "factors", 0, "scores", 1, "code"], "01"),
        "static[1].factors[0].scores: each code once",
        id="duplicate-sc-code",
    ),
    pytest.param(
        _set(["static", 1, "factors", 0, "fact"], "food_category"),
        "static[1].factors[0].fact: an sc_category factor reads sc_food_category",
        id="sc-category-fact",
    ),
    pytest.param(
        _set(["static", 2, "factors", 0, "brackets", 0, "points"], -1),
        "static[2].factors[0].brackets[0].points: must not be negative",
        id="negative-points",
    ),
    pytest.param(_delete(["static", 3, "factors", 3, "points"]), "static[3].factors[3].points: missing", id="flag"),
    pytest.param(_delete(["static", 0, "factors", 2, "fact"]), "static[0].factors[2].fact: missing", id="no-fact"),
    pytest.param(_delete(["static"]), "static: at least one static table", id="no-static-table"),
    pytest.param(_set(["static", 1, "key"], "seller"), "static: table keys must be unique", id="duplicate-table"),
    pytest.param(
        _set(["static", 1, "key"], "Producer"),
        "static[1].key: lower-case letters, digits, '-' and '_' only",
        id="table-key",
    ),
    pytest.param(
        _set(["static", 0, "match"], {"kinds": ["production"]}),
        "static[0].match: unknown keys ['kinds']",
        id="unknown-match-key",
    ),
    pytest.param(
        _set(["static", 0, "match", "categories"], "production"),
        "static[0].match.categories: must be a list of codes",
        id="match-not-a-list",
    ),
    pytest.param(_set(["static", 0, "confidence"], "X"), "static[0].confidence: one of V, S, R", id="confidence"),
    pytest.param(_delete(["version"]), "version: missing", id="no-version"),
    pytest.param(_set(["version"], 0), "version: must be 1 or more", id="version-0"),
    pytest.param(_set(["version"], "1"), "version: must be a whole number, not '1'", id="version-text"),
    pytest.param(
        _set(["code"], "CN 2016"), "code: lower-case letters, digits, '-' and '_' only", id="code-with-a-space"
    ),
    pytest.param(_set(["jurisdiction"], "32"), "jurisdiction: a 6-digit region code", id="jurisdiction"),
    pytest.param(_set(["effective_from"], "2016-12-01"), "effective_from: must be a date, not '2016-12-01'", id="date"),
    pytest.param(
        _set(["dynamic", "no_inspection_share"], 1.5),
        "dynamic.no_inspection_share: a share between 0 and 1",
        id="share",
    ),
    pytest.param(_delete(["frequency", "D"]), "frequency.D: missing", id="frequency-missing"),
    pytest.param(
        _set(["frequency", "C"], {"per_year_min": 3, "per_year_max": 2}),
        "frequency.C: per_year_max is below per_year_min",
        id="frequency-max-below-min",
    ),
    pytest.param(
        _set(["frequency", "A"], {"every_years": 0}), "frequency.A.every_years: must be 1 or more", id="every-0"
    ),
    pytest.param(_set(["adjustments", 0, "levels"], 4), "adjustments[0].levels: 1, 2 or 3", id="levels"),
    pytest.param(
        _set(["adjustments", 0, "direction"], "up"), "adjustments[0].direction: raise or lower", id="direction"
    ),
    pytest.param(_delete(["adjustments", 1, "events"]), "adjustments[1].events: missing", id="raise-without-events"),
    pytest.param(
        lambda d: (d["adjustments"][2].pop("clean_days"), d["adjustments"][2].pop("certified_by")),
        "adjustments[2]: a lowering needs clean_days or certified_by",
        id="lowering-without-condition",
    ),
]


@pytest.mark.parametrize(("change", "problem"), BAD_2016)
def test_a_bad_file_is_refused_with_the_problem_and_its_place(change, problem):
    data = shipped_data("cn-2016")
    change(data)
    problems = problems_of(data)
    assert any(p.startswith(problem) for p in problems), problems


BAD_2022 = [
    pytest.param(
        _set(["credit", "force", 0, "grade"], "X"), "credit.force[0].grade: a grade A/B/C/D, not 'X'", id="force"
    ),
    pytest.param(
        _set(["weights"], {"static": 40, "dynamic": 60, "credit": 0}),
        "credit.rules: credit rules need a credit weight",
        id="credit-rules-without-weight",
    ),
    pytest.param(
        _delete(["credit", "rules", 1, "points"]), "credit.rules[1].points: missing", id="credit-points-missing"
    ),
]


@pytest.mark.parametrize(("change", "problem"), BAD_2022)
def test_a_bad_credit_part_is_refused_with_its_place(change, problem):
    data = shipped_data("cn-2022")
    change(data)
    assert problem in problems_of(data)


def test_every_problem_of_a_file_is_reported_at_once():
    data = shipped_data("cn-2016")
    data["weights"]["dynamic"] = 50
    data["bands"][3]["grade"] = "E"
    factor(data, 0, 1)["kind"] = "ratio"
    factor(data, 0, 4)["choices"][1]["value"] = "cold"
    data["static"][2]["max"] = 30
    factor(data, 2, 0)["brackets"][1]["max"] = 100
    del data["frequency"]["B"]
    problems = problems_of(data)
    assert "frequency.B: missing" in problems
    assert [p for p in problems if not p.startswith("frequency.B")] == [
        "weights: must add up to 100, not 90",
        "bands[3].grade: a grade A/B/C/D, not 'E'",
        "bands: one band per grade in the order A, B, C, D",
        "static[0].factors[1].kind: one of range, choice, flag, sc_category",
        "static[0].factors[4].choices: each value once",
        "static[2].factors[0].brackets: upper limits must rise",
        "static[2]: its factors can give 40 points, more than its max 30",
    ]


def test_a_wrong_weight_sum_is_reported_beside_an_earlier_problem():
    data = shipped_data("cn-2016")
    data["code"] = "CN 2016"
    data["weights"]["dynamic"] = 50
    problems = problems_or_none(data)
    assert "code: lower-case letters, digits, '-' and '_' only" in problems
    assert "weights: must add up to 100, not 90" in problems


def test_a_bad_credit_lookback_is_refused():
    data = shipped_data("cn-2022")
    data["credit"]["lookback_days"] = "two years"
    assert "credit.lookback_days: must be a whole number, not 'two years'" in problems_or_none(data)


def test_a_file_without_a_name_is_refused():
    data = shipped_data("cn-2016")
    del data["name"]
    assert "name: missing" in problems_or_none(data)


def test_an_optional_key_may_be_left_out():
    data = shipped_data("cn-2016")
    del data["dynamic"], data["notes"], data["source"], data["adjustments"]
    del data["weights"]["credit"]
    spec = parse_ruleset(data)
    assert spec.no_inspection_share == Decimal("0.5")
    assert spec.weights["credit"] == 0
    assert spec.adjustments == () and spec.notes == "" and spec.source == ""


# --- which table scores an operator ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "table"),
    [
        ({"category": "production", "special_foods": ["health_food"]}, "health_food_producer"),
        ({"category": "production", "special_foods": ["infant_formula", "health_food"]}, "health_food_producer"),
        ({"category": "production", "special_foods": ["infant_formula"]}, "producer"),
        ({"category": "production", "special_foods": []}, "producer"),
        ({"category": "workshop"}, "producer"),
        ({"category": "sales", "special_foods": ["health_food"]}, "seller"),  # a seller of health food sells
        ({"category": "cold_storage"}, "seller"),
        ({"category": "catering"}, "caterer"),
        ({"category": "canteen", "canteen_kind": "school"}, "caterer"),
        ({"category": "canteen", "canteen_kind": "enterprise"}, "caterer"),
        ({"category": "central_kitchen"}, "caterer"),
        ({"category": "vendor"}, "caterer"),
    ],
)
def test_table_for_picks_the_first_fitting_table(facts, table):
    assert shipped_spec("cn-2016").table_for(facts).key == table
    assert shipped_spec("cn-2022").table_for(facts).key == table


def test_table_for_a_format_without_a_table_is_none():
    assert shipped_spec("cn-2016").table_for({"category": "space_station"}) is None
    assert shipped_spec("cn-2016").table_for({}) is None


def test_table_for_follows_the_file_order():
    """Health food before the general producer table is the file's choice: moved after it, it is never used."""
    data = shipped_data("cn-2016")
    data["static"][0], data["static"][1] = data["static"][1], data["static"][0]
    spec = parse_ruleset(data)
    assert spec.table_for({"category": "production", "special_foods": ["health_food"]}).key == "producer"


def test_match_conditions():
    school = Match(categories=("canteen",), canteen_kinds=("school", "kindergarten"))
    assert school.fits({"category": "canteen", "canteen_kind": "kindergarten"})
    assert not school.fits({"category": "canteen", "canteen_kind": "hospital"})
    assert not school.fits({"category": "catering", "canteen_kind": "school"})
    assert Match().fits({})
    health = Match(special_foods=("health_food",))
    assert health.fits({"special_foods": ["infant_formula", "health_food"]})
    assert not health.fits({"special_foods": None})
