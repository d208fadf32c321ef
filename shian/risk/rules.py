"""Risk grading (风险分级): pure functions over a rule-set (`ruleset.RuleSetSpec`), an operator's facts, its latest
full inspection and its record of events. Every number comes from the rule-set file; every point of a grade
is returned as a `Point` saying where it came from, so a grade can always be explained. No ORM, no settings."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .choices import Grade
from .ruleset import Factor, RuleSetSpec, StaticTable

TENTH = Decimal("0.1")
GRADES = list(Grade.values)


@dataclass(frozen=True)
class Point:
    """One line of a grade's explanation: which part, what was scored, how many points, and the basis."""

    part: str  # static | dynamic | credit | adjustment | force | override
    key: str
    label: str
    points: Decimal
    basis: str = ""

    def as_dict(self) -> dict:
        return {
            "part": self.part,
            "key": self.key,
            "label": self.label,
            "points": str(self.points),
            "basis": self.basis,
        }


@dataclass(frozen=True)
class InspectionBasis:
    """What the dynamic score reads from an operator's latest full inspection: the points of the checklist
    items it failed and of those that applied."""

    inspection_id: int
    on: datetime.date
    failed_points: Decimal
    applicable_points: Decimal
    failed_items: tuple[tuple[str, str, Decimal], ...] = ()  # (code, text, points)


@dataclass(frozen=True)
class RiskEvent:
    """Something in an operator's supervision record that moves its grade (a failed sample, a penalty …)."""

    operator_id: int
    kind: str
    on: datetime.date
    label: str = ""
    ref: str = ""


@dataclass
class Assessment:
    static: Decimal
    dynamic: Decimal
    credit: Decimal
    score_grade: str
    grade: str
    table: str
    points: list[Point] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.static + self.dynamic + self.credit


def sc_food_category(number: str) -> str | None:
    """The food category of an SC licence number: digits 2–3 of a food licence ("01"–"31"), "A" + digits 2–3 of
    an additive licence [S: regulations.md §7.2]."""
    if len(number) < 5 or not number.startswith("SC"):
        return None
    return number[3:5] if number[2] == "1" else f"A{number[3:5]}"


def band(score: Decimal, bands: Iterable[tuple[str, Decimal | None]]) -> str:
    """Risk grade for a total score: the first band whose upper limit the score does not exceed (2016 trial
    measures, score bands [S]); the bands come from the rule-set file."""
    return next(grade for grade, upper in bands if upper is None or score <= upper)


def shift_grade(grade: str, levels: int) -> str:
    """A grade moved `levels` up (positive: towards D, more risk) or down, held within A–D [R: §1.1 re-grading]."""
    index = min(max(GRADES.index(grade) + levels, 0), len(GRADES) - 1)
    return GRADES[index]


def _number(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def bracket_span(lower: Decimal | None, upper: Decimal | None) -> str:
    """How a range bracket is written in a grade's basis."""
    if upper is None:
        return f"> {lower}"
    return f"≤ {upper}" if lower is None else f"{lower} < x ≤ {upper}"


def factor_points(factor: Factor, value) -> tuple[Decimal, str]:
    """Points of one static factor for the fact's value, and the basis in words. A missing fact scores 0
    ("缺项计0分", table 1-3 note [S])."""
    if factor.kind == "flag":
        return (factor.points, "是") if value is True else (Decimal(0), "否" if value is False else "未记录")
    if factor.kind == "range":
        number = _number(value)
        if number is None:
            return Decimal(0), "未记录"
        lower = None
        for bracket in factor.brackets:
            if bracket.max is None or number <= bracket.max:
                return bracket.points, f"{number.normalize():f}（{bracket_span(lower, bracket.max)}）"
            lower = bracket.max
    values = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
    if not values:
        return Decimal(0), "未记录"
    if factor.kind == "sc_category":
        known = {c.value: c for c in factor.choices}
        scored = [
            (known[v].points, f"{v} {known[v].label}") if v in known else (factor.default, f"{v}（表中未列）")
            for v in map(str, values)
        ]
        return max(scored)  # 就高不就低: the highest category counts
    known = {c.value: c for c in factor.choices}
    chosen = [known[v] for v in map(str, values) if v in known]
    if not chosen:
        return Decimal(0), "未记录"
    if not factor.multiple:
        chosen = chosen[:1]
    best = max(chosen, key=lambda c: c.points)  # 就高不就低 [S: table 1-2]
    return best.points, "、".join(c.label for c in chosen)


def static_score(table: StaticTable | None, facts: dict) -> tuple[Decimal, list[Point]]:
    """The static part: the sum of the table's applicable factors, capped at the table's max."""
    if table is None:
        return Decimal(0), [Point("static", "no_table", "无适用的静态风险因素表", Decimal(0), "该业态未配置")]
    points = []
    for factor in table.factors:
        if not factor.applies(facts):
            continue
        value, basis = factor_points(factor, facts.get(factor.fact))
        points.append(Point("static", factor.key, factor.label, value, basis))
    total = min(sum((p.points for p in points), Decimal(0)), table.max)
    return total, points


def dynamic_score(
    weight: Decimal, inspection: InspectionBasis | None, no_inspection_share: Decimal
) -> tuple[Decimal, list[Point]]:
    """The dynamic part from the latest full inspection: the weight times the share of applicable checklist
    points failed (each item's points are its weight in the checklist file) [S: §1.1 dynamic tables]; before
    any full inspection, the rule-set's default share [R]."""
    if not weight:
        return Decimal(0), []
    if inspection is None:
        score = (weight * no_inspection_share).quantize(TENTH, ROUND_HALF_UP)
        return score, [
            Point("dynamic", "no_inspection", "尚无全项目监督检查", score, f"按默认比例 {no_inspection_share} 计")
        ]
    if not inspection.applicable_points:
        return Decimal(0), [Point("dynamic", "inspection", "监督检查", Decimal(0), "无适用检查项目")]
    score = (weight * inspection.failed_points / inspection.applicable_points).quantize(TENTH, ROUND_HALF_UP)
    basis = (
        f"{inspection.on.isoformat()} 检查：不符合项 {inspection.failed_points} 分 / "
        f"适用项 {inspection.applicable_points} 分"
    )
    points = [Point("dynamic", "inspection", "最近一次全项目监督检查", score, basis)]
    points += [
        Point("dynamic", f"item:{code}", text, item_points, "不符合")
        for code, text, item_points in inspection.failed_items
    ]
    return score, points


def credit_score(spec: RuleSetSpec, events: list[RiskEvent], today: datetime.date) -> tuple[Decimal, list[Point]]:
    """The credit part (2022-style schemes): each listed event within the look-back adds its points, up to the
    credit weight [R: points per event are the rule-set's]."""
    weight = spec.weights.get("credit", Decimal(0))
    if not weight or not spec.credit_rules:
        return Decimal(0), []
    since = today - datetime.timedelta(days=spec.credit_lookback_days)
    rules = {rule.event: rule for rule in spec.credit_rules}
    points = [
        Point("credit", event.kind, rules[event.kind].label, rules[event.kind].points, _event_basis(event))
        for event in sorted(events, key=lambda e: e.on)
        if event.kind in rules and since <= event.on <= today
    ]
    total = min(sum((p.points for p in points), Decimal(0)), weight)
    return total, points


def _event_basis(event: RiskEvent) -> str:
    return " ".join(part for part in (event.on.isoformat(), event.label) if part)


def adjusted_grade(
    spec: RuleSetSpec, grade: str, events: list[RiskEvent], today: datetime.date, *, record_since: datetime.date | None
) -> tuple[str, list[Point]]:
    """The up/down adjustments after the score [R: §1.1 re-grading]: each raising rule whose events occurred
    within its window raises the grade; a lowering rule applies when a certifying event is on record, or when none
    of its events occurred in its clean period and the operator was on record (and inspected) since before it
    (`record_since`, None when never inspected). Raising wins over lowering."""
    points: list[Point] = []
    raise_by = 0
    for rule in (a for a in spec.adjustments if a.direction == "raise"):
        since = today - datetime.timedelta(days=rule.within_days)
        hits = [e for e in events if e.kind in rule.events and since <= e.on <= today]
        if hits:
            raise_by = max(raise_by, rule.levels)
            points.append(
                Point(
                    "adjustment",
                    f"raise:{hits[-1].kind}",
                    rule.label,
                    Decimal(rule.levels),
                    "；".join(_event_basis(e) for e in hits),
                )
            )
    if raise_by:
        return shift_grade(grade, raise_by), points
    for rule in (a for a in spec.adjustments if a.direction == "lower"):
        valid_since = today - datetime.timedelta(days=rule.certified_days)
        certified = [e for e in events if e.kind in rule.certified_by and valid_since <= e.on <= today]
        clean = False
        if rule.clean_days:
            since = today - datetime.timedelta(days=rule.clean_days)
            clean = (
                record_since is not None
                and record_since <= since
                and not any(e.kind in rule.events and since <= e.on <= today for e in events)
            )
        if certified or clean:
            basis = (
                _event_basis(certified[-1])
                if certified
                else f"自 {(today - datetime.timedelta(days=rule.clean_days)).isoformat()} 起无记录"
            )
            points.append(Point("adjustment", "lower", rule.label, Decimal(-rule.levels), basis))
            return shift_grade(grade, -rule.levels), points
    return grade, points


def forced_grade(spec: RuleSetSpec, events: list[RiskEvent], today: datetime.date) -> tuple[str | None, list[Point]]:
    """A grade set directly by an event (being on the serious-dishonesty list sets D [S: Anhui scheme, §1.2])."""
    for rule in spec.forced:
        since = today - datetime.timedelta(days=rule.within_days)
        hits = [e for e in events if e.kind == rule.event and since <= e.on <= today]
        if hits:
            return rule.grade, [Point("force", rule.event, rule.label, Decimal(0), _event_basis(hits[-1]))]
    return None, []


def assess(
    spec: RuleSetSpec,
    facts: dict,
    *,
    inspection: InspectionBasis | None,
    events: list[RiskEvent],
    today: datetime.date,
    record_since: datetime.date | None = None,
) -> Assessment:
    """An operator's risk grade under a rule-set, with every point explained."""
    table = spec.table_for(facts)
    static, static_points = static_score(table, facts)
    dynamic, dynamic_points = dynamic_score(spec.weights["dynamic"], inspection, spec.no_inspection_share)
    credit, credit_points = credit_score(spec, events, today)
    score_grade = band(static + dynamic + credit, spec.bands)
    grade, adjustment_points = adjusted_grade(
        spec, score_grade, events, today, record_since=record_since if inspection is not None else None
    )
    forced, forced_points = forced_grade(spec, events, today)
    if forced is not None and GRADES.index(forced) > GRADES.index(grade):
        grade = forced
    return Assessment(
        static=static,
        dynamic=dynamic,
        credit=credit,
        score_grade=score_grade,
        grade=grade,
        table=table.key if table else "",
        points=[*static_points, *dynamic_points, *credit_points, *adjustment_points, *forced_points],
    )
