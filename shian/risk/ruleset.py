"""Rule-set files: one version of one jurisdiction's risk-grading scheme, as TOML (docs/risk.md has the format).

`parse_ruleset(data)` turns a loaded file into a `RuleSetSpec` or raises `RuleSetError` listing every problem
with its place in the file ("static[1].factors[2].brackets: …"). Pure: no ORM, no settings.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .choices import Grade

CONFIDENCE = ("V", "S", "R")
FACTOR_KINDS = ("range", "choice", "flag", "sc_category")
_CODE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_REGION = re.compile(r"\d{6}")
MATCH_KEYS = ("categories", "special_foods", "canteen_kinds")


class RuleSetError(ValueError):
    """A rule-set file that cannot be used; `problems` lists each one with its place in the file."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Match:
    """Which operators a table or factor is for. An empty list places no condition."""

    categories: tuple[str, ...] = ()
    special_foods: tuple[str, ...] = ()
    canteen_kinds: tuple[str, ...] = ()

    def fits(self, facts: dict) -> bool:
        if self.categories and facts.get("category") not in self.categories:
            return False
        if self.special_foods and not set(facts.get("special_foods") or ()) & set(self.special_foods):
            return False
        return not self.canteen_kinds or facts.get("canteen_kind") in self.canteen_kinds


@dataclass(frozen=True)
class Bracket:
    max: Decimal | None
    points: Decimal


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    fact: str
    kind: str
    brackets: tuple[Bracket, ...] = ()
    choices: tuple[Choice, ...] = ()
    multiple: bool = False
    points: Decimal = Decimal(0)  # flag
    default: Decimal = Decimal(0)  # sc_category code not in the table
    match: Match | None = None
    unless: Match | None = None

    @property
    def max_points(self) -> Decimal:
        candidates = [b.points for b in self.brackets] + [c.points for c in self.choices] + [self.points, self.default]
        return max(candidates)

    def applies(self, facts: dict) -> bool:
        if self.match is not None and not self.match.fits(facts):
            return False
        return self.unless is None or not self.unless.fits(facts)


@dataclass(frozen=True)
class StaticTable:
    key: str
    label: str
    source: str
    confidence: str
    max: Decimal
    match: Match
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class Frequency:
    """Inspections a grade needs: at least `per_year_min` a year (at most `per_year_max`), or once every
    `every_years` years."""

    per_year_min: int = 0
    per_year_max: int | None = None
    every_years: int = 1


@dataclass(frozen=True)
class CreditRule:
    event: str
    points: Decimal
    label: str


@dataclass(frozen=True)
class ForcedGrade:
    event: str
    grade: str
    label: str
    within_days: int = 1095  # a listing lasts three years [R: regulations.md §4.6, SAMR Order 44]


@dataclass(frozen=True)
class Adjustment:
    direction: str  # "raise" | "lower"
    levels: int
    events: tuple[str, ...]
    label: str
    within_days: int = 365  # raise: any of the events within this many days
    clean_days: int = 0  # lower: none of the events for this many days
    certified_by: tuple[str, ...] = ()  # lower: or any of these events (HACCP, GMP …) …
    certified_days: int = 1095  # … within this many days (a certificate's usual three-year term [R])


@dataclass(frozen=True)
class RuleSetSpec:
    code: str
    version: int
    name: str
    jurisdiction: str
    effective_from: datetime.date
    source: str
    confidence: str
    weights: dict[str, Decimal]
    bands: tuple[tuple[str, Decimal | None], ...]
    frequency: dict[str, Frequency]
    no_inspection_share: Decimal
    static: tuple[StaticTable, ...]
    credit_lookback_days: int = 730
    credit_rules: tuple[CreditRule, ...] = ()
    forced: tuple[ForcedGrade, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    notes: str = ""
    facts_recorded: tuple[str, ...] = field(default=())

    def table_for(self, facts: dict) -> StaticTable | None:
        """The static table scoring an operator: the first in file order whose match fits."""
        return next((table for table in self.static if table.match.fits(facts)), None)

    @property
    def event_kinds(self) -> set[str]:
        kinds = {rule.event for rule in self.credit_rules} | {f.event for f in self.forced}
        for adjustment in self.adjustments:
            kinds |= set(adjustment.events) | set(adjustment.certified_by)
        return kinds

    @property
    def longest_lookback_days(self) -> int:
        days = [self.credit_lookback_days if self.credit_rules else 0]
        days += [
            a.within_days if a.direction == "raise" else max(a.clean_days, a.certified_days) for a in self.adjustments
        ]
        days += [f.within_days for f in self.forced]
        return max(days)


# Operator facts the registry keeps and those derived from it; any other fact a factor reads is recorded on the
# operator's risk page (`RiskFact`).
OPERATOR_FACTS = (
    "category",
    "canteen_kind",
    "special_foods",
    "floor_area_m2",
    "daily_diners",
    "sku_prepackaged_ambient",
    "sku_prepackaged_chilled",
    "sku_prepackaged_frozen",
    "sku_bulk_ambient",
    "sku_bulk_chilled",
    "sku_bulk_frozen",
    "supplier_count",
    "handles_high_risk_foods",
)
DERIVED_FACTS = ("sc_food_category",)


class _Reader:
    """Reads values out of the file, collecting problems instead of stopping at the first."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def get(self, data: dict, key: str, where: str, kind, *, required=True, default=None, places=None):
        path = f"{where}.{key}" if where else key
        if key not in data:
            if required:
                self.problem(path, "missing")
            return default
        value = data[key]
        if kind is Decimal:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                self.problem(path, f"must be a number, not {value!r}")
                return default
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                self.problem(path, f"must be a number, not {value!r}")
                return default
            if not number.is_finite():
                self.problem(path, f"must be a number, not {value!r}")
                return default
            if number < 0:
                self.problem(path, "must not be negative")
            elif places is not None and number.as_tuple().exponent < -places:
                self.problem(path, f"at most {places} decimal place (scores are kept to 0.1)")
            return number
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.problem(path, f"must be a whole number, not {value!r}")
            return default
        if not isinstance(value, kind):
            self.problem(path, f"must be a {getattr(kind, '__name__', kind)}, not {value!r}")
            return default
        return value

    def match(self, data, where: str) -> Match | None:
        if data is None:
            return None
        if not isinstance(data, dict):
            self.problem(where, "must be a table")
            return None
        unknown = set(data) - set(MATCH_KEYS)
        if unknown:
            self.problem(where, f"unknown keys {sorted(unknown)}")
        values = {}
        for key in MATCH_KEYS:
            items = data.get(key, [])
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                self.problem(f"{where}.{key}", "must be a list of codes")
                items = []
            values[key] = tuple(items)
        return Match(**values)


def parse_ruleset(data: dict) -> RuleSetSpec:
    """A rule-set from a loaded TOML file; raises RuleSetError with every problem found."""
    r = _Reader()
    code = r.get(data, "code", "", str, default="")
    if code and not _CODE.fullmatch(code):
        r.problem("code", "lower-case letters, digits, '-' and '_' only")
    version = r.get(data, "version", "", int, default=0)
    if version is not None and version < 1:
        r.problem("version", "must be 1 or more")
    jurisdiction = r.get(data, "jurisdiction", "", str, default="")
    if jurisdiction and not _REGION.fullmatch(jurisdiction):
        r.problem(
            "jurisdiction", "a 6-digit region code (province 320000, city 320500 …), or empty for the whole country"
        )
    effective_from = r.get(data, "effective_from", "", datetime.date, default=datetime.date.min)
    confidence = r.get(data, "confidence", "", str, default="R")
    if confidence not in CONFIDENCE:
        r.problem("confidence", f"one of {', '.join(CONFIDENCE)}")

    weights_data = r.get(data, "weights", "", dict, default={})
    weights = {
        part: r.get(weights_data, part, "weights", Decimal, required=part != "credit", default=Decimal(0))
        for part in ("static", "dynamic", "credit")
    }
    if all(v is not None for v in weights.values()) and sum(weights.values()) != 100:
        r.problem("weights", f"must add up to 100, not {sum(weights.values())}")

    bands = _bands(r, r.get(data, "bands", "", list, default=[]))
    frequency = _frequency(r, r.get(data, "frequency", "", dict, default={}))
    dynamic = r.get(data, "dynamic", "", dict, required=False, default={})
    share = r.get(dynamic, "no_inspection_share", "dynamic", Decimal, required=False, default=Decimal("0.5"))
    if share is not None and share > 1:
        r.problem("dynamic.no_inspection_share", "a share between 0 and 1")

    static = tuple(_table(r, t, f"static[{i}]") for i, t in enumerate(r.get(data, "static", "", list, default=[])))
    if not static:
        r.problem("static", "at least one static table")
    keys = [t.key for t in static]
    if len(set(keys)) != len(keys):
        r.problem("static", "table keys must be unique")

    credit = r.get(data, "credit", "", dict, required=False, default={})
    credit_rules = tuple(
        CreditRule(
            event=r.get(rule, "event", f"credit.rules[{i}]", str, default=""),
            points=r.get(rule, "points", f"credit.rules[{i}]", Decimal, default=Decimal(0), places=1),
            label=r.get(rule, "label", f"credit.rules[{i}]", str, default=""),
        )
        for i, rule in enumerate(r.get(credit, "rules", "credit", list, required=False, default=[]))
    )
    if credit_rules and not weights.get("credit"):
        r.problem("credit.rules", "credit rules need a credit weight")
    forced = tuple(
        ForcedGrade(
            event=r.get(rule, "event", f"credit.force[{i}]", str, default=""),
            grade=_grade(r, r.get(rule, "grade", f"credit.force[{i}]", str, default="D"), f"credit.force[{i}].grade"),
            label=r.get(rule, "label", f"credit.force[{i}]", str, default=""),
            within_days=r.get(rule, "within_days", f"credit.force[{i}]", int, required=False, default=1095),
        )
        for i, rule in enumerate(r.get(credit, "force", "credit", list, required=False, default=[]))
    )
    adjustments = tuple(
        _adjustment(r, a, f"adjustments[{i}]")
        for i, a in enumerate(r.get(data, "adjustments", "", list, required=False, default=[]))
    )

    name = r.get(data, "name", "", str, default=code)
    source = r.get(data, "source", "", str, required=False, default="")
    notes = r.get(data, "notes", "", str, required=False, default="")
    lookback = r.get(credit, "lookback_days", "credit", int, required=False, default=730)
    if lookback is not None and lookback < 1:
        r.problem("credit.lookback_days", "must be 1 or more")
    if r.problems:
        raise RuleSetError(r.problems)
    recorded = sorted(
        {f.fact for t in static for f in t.factors if f.fact not in OPERATOR_FACTS and f.fact not in DERIVED_FACTS}
    )
    return RuleSetSpec(
        code=code,
        version=version,
        name=name,
        jurisdiction=jurisdiction,
        effective_from=effective_from,
        source=source,
        confidence=confidence,
        weights=weights,
        bands=bands,
        frequency=frequency,
        no_inspection_share=share,
        static=static,
        credit_lookback_days=lookback,
        credit_rules=credit_rules,
        forced=forced,
        adjustments=adjustments,
        notes=notes,
        facts_recorded=tuple(recorded),
    )


def _grade(r: _Reader, value: str, where: str) -> str:
    if value not in Grade.values:
        r.problem(where, f"a grade {'/'.join(Grade.values)}, not {value!r}")
    return value


def _bands(r: _Reader, items: list) -> tuple[tuple[str, Decimal | None], ...]:
    bands = []
    for i, item in enumerate(items):
        where = f"bands[{i}]"
        grade = _grade(r, r.get(item, "grade", where, str, default=""), f"{where}.grade")
        upper = r.get(item, "max", where, Decimal, required=i < len(items) - 1, default=None)
        bands.append((grade, upper))
    grades = [g for g, _ in bands]
    if grades != list(Grade.values):
        r.problem("bands", f"one band per grade in the order {', '.join(Grade.values)}")
    uppers = [u for _, u in bands if u is not None]
    if uppers != sorted(set(uppers)):
        r.problem("bands", "upper limits must rise from A to D")
    if bands and bands[-1][1] is not None:
        r.problem("bands", "the last band has no max")
    return tuple(bands)


def _frequency(r: _Reader, data: dict) -> dict[str, Frequency]:
    result = {}
    for grade in Grade.values:
        item = r.get(data, grade, "frequency", dict, default={})
        where = f"frequency.{grade}"
        every = r.get(item, "every_years", where, int, required=False, default=1)
        minimum = r.get(item, "per_year_min", where, int, required=every == 1, default=0)
        maximum = r.get(item, "per_year_max", where, int, required=False, default=None)
        if maximum is not None and minimum is not None and maximum < minimum:
            r.problem(where, "per_year_max is below per_year_min")
        if every is not None and every < 1:
            r.problem(f"{where}.every_years", "must be 1 or more")
        result[grade] = Frequency(per_year_min=minimum or 0, per_year_max=maximum, every_years=every or 1)
    return result


def _table(r: _Reader, data: dict, where: str) -> StaticTable:
    key = r.get(data, "key", where, str, default="")
    if key and not _CODE.fullmatch(key):
        r.problem(f"{where}.key", "lower-case letters, digits, '-' and '_' only")
    items = r.get(data, "factors", where, list) or []
    factors = tuple(_factor(r, f, f"{where}.factors[{i}]") for i, f in enumerate(items))
    maximum = r.get(data, "max", where, Decimal, default=Decimal(0))
    # Factors for mutually exclusive operators (match/unless) share the budget: count each kind once.
    unconditional = sum((f.max_points for f in factors if f.match is None and f.unless is None), Decimal(0))
    conditional = max((f.max_points for f in factors if f.match is not None or f.unless is not None), default=0)
    if maximum is not None and unconditional + conditional > maximum:
        r.problem(where, f"its factors can give {unconditional + conditional} points, more than its max {maximum}")
    confidence = r.get(data, "confidence", where, str, required=False, default="R")
    if confidence not in CONFIDENCE:
        r.problem(f"{where}.confidence", f"one of {', '.join(CONFIDENCE)}")
    return StaticTable(
        key=key,
        label=r.get(data, "label", where, str, default=key),
        source=r.get(data, "source", where, str, required=False, default=""),
        confidence=confidence,
        max=maximum,
        match=r.match(data.get("match", {}), f"{where}.match") or Match(),
        factors=factors,
    )


def _factor(r: _Reader, data: dict, where: str) -> Factor:
    kind = r.get(data, "kind", where, str, default="range")
    if kind not in FACTOR_KINDS:
        r.problem(f"{where}.kind", f"one of {', '.join(FACTOR_KINDS)}")
    brackets, choices = (), ()
    if kind == "range":
        items = r.get(data, "brackets", where, list, default=[])
        brackets = tuple(
            Bracket(
                max=r.get(b, "max", f"{where}.brackets[{i}]", Decimal, required=i < len(items) - 1, default=None),
                points=r.get(b, "points", f"{where}.brackets[{i}]", Decimal, default=Decimal(0), places=1),
            )
            for i, b in enumerate(items)
        )
        uppers = [b.max for b in brackets if b.max is not None]
        if uppers != sorted(set(uppers)):
            r.problem(f"{where}.brackets", "upper limits must rise")
        if not brackets or brackets[-1].max is not None:
            r.problem(f"{where}.brackets", "the last bracket has no max")
    elif kind in ("choice", "sc_category"):
        name, value_key = ("choices", "value") if kind == "choice" else ("scores", "code")
        items = r.get(data, name, where, list, default=[])
        choices = tuple(
            Choice(
                value=str(r.get(c, value_key, f"{where}.{name}[{i}]", str, default="")),
                label=r.get(c, "label", f"{where}.{name}[{i}]", str, default=""),
                points=r.get(c, "points", f"{where}.{name}[{i}]", Decimal, default=Decimal(0), places=1),
            )
            for i, c in enumerate(items)
        )
        values = [c.value for c in choices]
        if len(set(values)) != len(values):
            r.problem(f"{where}.{name}", f"each {value_key} once")
    fact = r.get(data, "fact", where, str, default="")
    if kind == "sc_category" and fact != "sc_food_category":
        r.problem(f"{where}.fact", "an sc_category factor reads sc_food_category")
    return Factor(
        key=r.get(data, "key", where, str, default=""),
        label=r.get(data, "label", where, str, default=""),
        fact=fact,
        kind=kind,
        brackets=brackets,
        choices=choices,
        multiple=r.get(data, "multiple", where, bool, required=False, default=False),
        points=r.get(data, "points", where, Decimal, required=kind == "flag", default=Decimal(0), places=1),
        default=r.get(data, "default", where, Decimal, required=False, default=Decimal(0), places=1),
        match=r.match(data.get("match"), f"{where}.match"),
        unless=r.match(data.get("unless"), f"{where}.unless"),
    )


def _adjustment(r: _Reader, data: dict, where: str) -> Adjustment:
    direction = r.get(data, "direction", where, str, default="raise")
    if direction not in ("raise", "lower"):
        r.problem(f"{where}.direction", "raise or lower")
    levels = r.get(data, "levels", where, int, default=1)
    if levels not in (1, 2, 3):
        r.problem(f"{where}.levels", "1, 2 or 3")
    clean_days = r.get(data, "clean_days", where, int, required=False, default=0)
    certified_by = tuple(r.get(data, "certified_by", where, list, required=False, default=[]))
    if direction == "lower" and not clean_days and not certified_by:
        r.problem(where, "a lowering needs clean_days or certified_by")
    return Adjustment(
        direction=direction,
        levels=levels or 1,
        events=tuple(r.get(data, "events", where, list, required=direction == "raise", default=[])),
        label=r.get(data, "label", where, str, default=""),
        within_days=r.get(data, "within_days", where, int, required=False, default=365),
        clean_days=clean_days,
        certified_by=certified_by,
        certified_days=r.get(data, "certified_days", where, int, required=False, default=1095),
    )
