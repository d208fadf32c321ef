"""Pure rules of supervision inspection (SAMR Order 49, regulations.md §1.3): the result of a checklist, key
targets, the inspections a plan requires, the Art. 42 no-repeat window and the random draws. No ORM."""

import datetime
import heapq
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .choices import Outcome, Result

PUBLISH_WITHIN_WORKING_DAYS = 20  # results published within 20 working days [V: Order 49 art. 39]
NO_REPEAT_DAYS = 92  # a lower level does not repeat a higher level's items for 3 months [V: Order 49 art. 42]
FULL_INSPECTION_EVERY_YEARS = 2  # every operator fully inspected at least once in two years [V: Order 49 art. 22]
MIN_INSPECTORS = 2  # at least two inspectors [V: Order 49 art. 23]


@dataclass(frozen=True)
class Answer:
    key: bool
    outcome: str
    affects_safety: bool = False
    points: Decimal = Decimal(0)


def checklist_result(answers: Iterable[Answer]) -> str:
    """符合 when nothing failed; 不符合 when a key item failed or a failed general item affects food safety;
    otherwise 基本符合 [R: regulations.md §1.3 result mapping onto Order 49 arts. 32–33]."""
    failed = [a for a in answers if a.outcome == Outcome.NO]
    if any(a.key or a.affects_safety for a in failed):
        return Result.NONCOMPLIANT
    return Result.BASIC if failed else Result.COMPLIANT


def risk_points(answers: Iterable[Answer]) -> tuple[Decimal, Decimal]:
    """Points of the failed items and of all applicable items (the dynamic risk score's basis)."""
    failed = applicable = Decimal(0)
    for a in answers:
        if a.outcome in (Outcome.YES, Outcome.NO):
            applicable += a.points
            if a.outcome == Outcome.NO:
                failed += a.points
    return failed, applicable


def needs_case(result: str) -> bool:
    """不符合 goes to investigation (立案调查) [V: Order 49 art. 32, 33 ¶3]."""
    return result == Result.NONCOMPLIANT


def key_target_reasons(*, category: str, makes_special_foods: bool, grade: str) -> list[str]:
    """Why an operator is a key target of the annual plan [V: Order 49 art. 22 ¶2]: special-food producers,
    producers graded C or D, sellers and caterers graded D, central kitchens and collective-meal delivery."""
    reasons = []
    if category == "production" and makes_special_foods:
        reasons.append("special_food_producer")
    if category in ("production", "workshop") and grade in ("C", "D"):
        reasons.append("producer_c_d")
    if category not in ("production", "workshop") and grade == "D":
        reasons.append("grade_d")
    if category in ("central_kitchen", "group_meal"):
        reasons.append("central_kitchen_or_group_meal")
    return reasons


def full_inspection_due(last_full: datetime.date | None, year: int) -> bool:
    """Whether an operator needs a full inspection in `year` to keep the two-year rule: none in the year
    before or in this year so far [V: Order 49 art. 22]."""
    return last_full is None or last_full.year < year - (FULL_INSPECTION_EVERY_YEARS - 1)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` years earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def required_inspections(*, per_year_min: int, every_years: int, full_due: bool) -> int:
    """Inspections an operator needs in a plan year: its grade's yearly minimum, or for a grade inspected once
    in several years, one when it falls due; never fewer than the one the two-year rule asks
    [S: frequencies of the rule-set; V: Order 49 art. 22]."""
    base = per_year_min if every_years <= 1 else (1 if full_due else 0)
    return max(base, 1 if full_due else 0)


def repeat_blocked(
    *, higher_level_on: datetime.date | None, today: datetime.date, is_lead: bool
) -> datetime.date | None:
    """The date until which a lower level may not repeat a higher level's inspection items, or None when it
    may inspect (no higher-level inspection in the window, or a lead) [V: Order 49 art. 42]."""
    if higher_level_on is None or is_lead:
        return None
    until = higher_level_on + datetime.timedelta(days=NO_REPEAT_DAYS)
    return until if today < until else None


# --- 双随机: random draws that anyone can repeat from the recorded seed and pool ---------------------------


def draw_targets(pool: Sequence[int], ratio: Decimal, seed: str) -> list[int]:
    """A random share of the pool (rounded up), in drawn order. The pool is sorted first, so the draw depends
    only on its members and the seed [S: 国市监信〔2019〕38号, random draw of targets]."""
    members = sorted(pool)
    count = min(len(members), math.ceil(len(members) * ratio))
    return random.Random(f"targets:{seed}").sample(members, count)


@dataclass(frozen=True)
class Inspector:
    id: int
    region: str  # the prefix of the region their agency covers (province 32, city 3205, county 320506)


@dataclass
class InspectorDraw:
    pairs: dict[int, tuple[int, int]] = field(default_factory=dict)
    unassigned: dict[int, str] = field(default_factory=dict)  # operator → why no pair could be drawn
    load: dict[int, int] = field(default_factory=dict)


def draw_inspectors(
    targets: Sequence[tuple[int, str]],
    inspectors: Sequence[Inspector],
    *,
    excluded: dict[int, Iterable[int]],
    seed: str,
) -> InspectorDraw:
    """A pair of inspectors for each target (operator, county), drawn at random among those whose agency
    covers the county, leaving out those excluded for it (declared conflicts, its last inspectors), and
    keeping the load balanced: each pick is among the least-loaded eligible inspectors
    [V: Order 49 arts. 5, 23; S: 国市监信〔2019〕38号]. Targets are taken in a shuffled order, so no one gets the
    pool's first operators. Same inputs and seed, same result."""
    rng = random.Random(f"inspectors:{seed}")
    ordered = sorted(targets)
    rng.shuffle(ordered)
    people = sorted(inspectors, key=lambda i: i.id)
    result = InspectorDraw(load={i.id: 0 for i in people})
    load = result.load
    # Per county a heap of (load, random tie-break, inspector): the least-loaded eligible inspector on top. An
    # inspector busy in another county sits too low in this heap until popped, then goes back with its load.
    heaps: dict[str, list[tuple[int, float, int]]] = {}
    for operator_id, county in ordered:
        heap = heaps.get(county)
        if heap is None:
            heap = heaps[county] = [(0, rng.random(), i.id) for i in people if county.startswith(i.region)]
            heapq.heapify(heap)
        banned = set(excluded.get(operator_id, ()))
        pair: list[int] = []
        held = []
        while heap and len(pair) < MIN_INSPECTORS:
            entry = heapq.heappop(heap)
            person = entry[2]
            if entry[0] != load[person]:
                heapq.heappush(heap, (load[person], rng.random(), person))
            elif person in banned:
                held.append(entry)
            else:
                pair.append(person)
        if len(pair) < MIN_INSPECTORS:
            result.unassigned[operator_id] = "too_few_inspectors"
        else:
            result.pairs[operator_id] = (pair[0], pair[1])
            for person in pair:
                load[person] += 1
        for entry in held:
            heapq.heappush(heap, entry)
        for person in pair:
            heapq.heappush(heap, (load[person], rng.random(), person))
    return result
