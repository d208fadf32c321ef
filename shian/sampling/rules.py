"""Pure rules of food sampling and testing (SAMR Order 15, regulations.md §2): judging a result against its
limit, a sample's verdict, which limit applies, the fixed legal limits. No ORM. The [S] and [R] time limits
of regulations.md §2 are settings (SHIAN_SAMPLING), not constants."""

import datetime
import heapq
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .choices import FeeBearer, LimitKind, Verdict
from .units import UNITS, Reading, convert

RETEST_APPLY_WORKING_DAYS = 7  # the operator may apply for a re-test within 7 working days [V: FSL art. 88 ¶1]
RAPID_TEST_OBJECTION_HOURS = 4  # objection to a farm-produce rapid test within 4 hours [V: FSL art. 88 ¶2]


@dataclass(frozen=True)
class LimitRule:
    """One limit as the judgment reads it; `citation` names the standard and clause (GB 2763-2021 表1 …)."""

    kind: str
    value: Decimal | None
    unit: str
    citation: str
    pk: int | None = None


@dataclass(frozen=True)
class Judgment:
    """The verdict on one test item, why (a reason code of REASONS), the comparison made, and the citation."""

    verdict: str
    reason: str
    detail: str = ""
    citation: str = ""
    limit: LimitRule | None = None


REASONS = {
    "no_limit": Verdict.NOT_JUDGED,  # no limit for this analyte in this food: reported, not judged
    "unit_mismatch": Verdict.NOT_JUDGED,  # the result's unit cannot be compared with the limit's
    "lod_above_limit": Verdict.NOT_JUDGED,  # not detected, but by a method that could not see the limit
    "not_detected": Verdict.PASS,
    "within_limit": Verdict.PASS,
    "above_minimum": Verdict.PASS,
    "over_limit": Verdict.FAIL,
    "below_minimum": Verdict.FAIL,
    "detected_must_not": Verdict.FAIL,
    "detected_not_permitted": Verdict.FAIL,
}


def _fmt(value: Decimal, unit: str) -> str:
    return f"{format(value.normalize(), 'f')} {unit}"


def judge(reading: Reading, unit: str, limit: LimitRule | None) -> Judgment:
    """Judge one item (regulations.md §2; GB 2760/2762/2763 read as the standards' tables): a value equal to
    the limit passes; "not detected", or a value below the method's detection limit, passes unless that limit
    itself lies above the limit; a detected non-permitted or must-not-be-detected substance fails; a value is
    converted to the limit's unit first and never compared across dimensions (mass fraction vs volume)."""
    if limit is None:
        return Judgment(Verdict.NOT_JUDGED, "no_limit")
    cite = limit.citation
    target = UNITS[limit.unit]
    source = UNITS.get(unit)
    detected = not reading.not_detected and reading.value is not None
    if detected and reading.lod is not None and reading.value < reading.lod:
        detected = False
    if not detected:
        if limit.kind == LimitKind.MIN:
            return Judgment(Verdict.FAIL, "below_minimum", f"未检出 < {_fmt(limit.value, limit.unit)}", cite, limit)
        if reading.lod is not None and limit.kind == LimitKind.MAX and source is not None:
            lod = convert(reading.lod, source, target)
            if lod is not None and lod > limit.value:
                detail = f"LOD {_fmt(reading.lod, unit)} > {_fmt(limit.value, limit.unit)}"
                return Judgment(Verdict.NOT_JUDGED, "lod_above_limit", detail, cite, limit)
        return Judgment(Verdict.PASS, "not_detected", "未检出", cite, limit)
    if limit.kind == LimitKind.NOT_DETECTED:
        return Judgment(Verdict.FAIL, "detected_must_not", _fmt(reading.value, unit), cite, limit)
    if limit.kind == LimitKind.NOT_PERMITTED:
        return Judgment(Verdict.FAIL, "detected_not_permitted", _fmt(reading.value, unit), cite, limit)
    value = convert(reading.value, source, target) if source is not None else None
    if value is None:
        return Judgment(Verdict.NOT_JUDGED, "unit_mismatch", f"{unit} ≠ {limit.unit}", cite, limit)
    shown = _fmt(reading.value, unit)
    if unit != limit.unit:
        shown += f" = {_fmt(value, limit.unit)}"
    if limit.kind == LimitKind.MIN:
        ok = value >= limit.value
        sign, reason = ("≥", "above_minimum") if ok else ("<", "below_minimum")
    else:
        ok = value <= limit.value
        sign, reason = ("≤", "within_limit") if ok else (">", "over_limit")
    verdict = Verdict.PASS if ok else Verdict.FAIL
    return Judgment(verdict, reason, f"{shown} {sign} {_fmt(limit.value, limit.unit)}", cite, limit)


def sample_verdict(verdicts: Iterable[str]) -> str | None:
    """A sample fails when any item fails and passes when none fails and at least one passed; items without a
    limit are reported beside the verdict without deciding it; with no judged item there is no verdict."""
    seen = set(verdicts)
    if Verdict.FAIL in seen:
        return Verdict.FAIL
    return Verdict.PASS if Verdict.PASS in seen else None


def retest_fee_bearer(verdict: str) -> str:
    """The applicant pays a re-test's fee in advance and bears it when the re-test fails too; the sampling
    bureau bears it when the re-test passes [V: Implementing Regulations art. 42]."""
    return FeeBearer.APPLICANT if verdict == Verdict.FAIL else FeeBearer.BUREAU


def draw_retest_lab(pool: Iterable[int], first_lab: int, seed: str) -> int | None:
    """The re-test lab, drawn at random from the approved labs but never the lab of the first test [V: FSL
    art. 88 ¶1]; the same pool and seed always draw the same lab. None when no other lab is approved."""
    candidates = sorted(set(pool) - {first_lab})
    return random.Random(seed).choice(candidates) if candidates else None


def needs_review(judgment: Judgment) -> bool:
    """An item a person must look at before the sample can be concluded: its unit cannot be compared with the
    limit's, or a "not detected" came from a method that could not see the limit."""
    return judgment.reason in ("unit_mismatch", "lod_above_limit")


@dataclass(frozen=True)
class LimitCandidate:
    """A limit as stored: in force from `valid_from` until `valid_to` (exclusive; None: open)."""

    rule: LimitRule
    valid_from: object
    valid_to: object = None


def applicable_limit(
    by_category: Mapping[str, Sequence[LimitCandidate]], categories: Sequence[str], on
) -> LimitRule | None:
    """The limit for a food on a date, from the limits of one analyte by category code ("" for every food):
    the one set for the most specific of the food's `categories` (its own first, then its ancestors, then every
    food) in force on `on`; where two standards both set one at that level, the stricter (a ban before any
    number, then the lower maximum or the higher minimum) [R: regulations.md §8.2; the rows cite the standard]."""
    for category in (*categories, ""):
        found = by_category.get(category)
        if found:
            level = [c.rule for c in found if c.valid_from <= on and (c.valid_to is None or on < c.valid_to)]
            if level:
                return level[0] if len(level) == 1 else min(level, key=_strictness)
    return None


def _strictness(rule: LimitRule):
    if rule.kind in (LimitKind.NOT_DETECTED, LimitKind.NOT_PERMITTED):
        return (0, Decimal(0))
    base = rule.value * UNITS[rule.unit].factor
    return (1, base) if rule.kind == LimitKind.MAX else (2, -base)


def plan_quota(population: int, per_thousand: Decimal) -> int:
    """Batches a region samples in a year: its resident population times the batches-per-1,000-residents
    figure, rounded up [R: a KPI per level, regulations.md §2, e.g. 4 per 1,000 in the 2019 opinion]."""
    return math.ceil(Decimal(population) * per_thousand / 1000)


def split_quota(total: int, weights: Mapping[object, Decimal]) -> dict[object, int]:
    """`total` batches shared in proportion to `weights` by the largest remainders, ties to the first key:
    the shares add up to `total` exactly."""
    positive = {key: w for key, w in weights.items() if w > 0}
    whole = sum(positive.values())
    if not positive or total <= 0:
        return {}
    exact = {key: Decimal(total) * w / whole for key, w in positive.items()}
    shares = {key: int(value) for key, value in exact.items()}
    order = sorted(positive, key=lambda key: -(exact[key] - shares[key]))
    for key in order[: total - sum(shares.values())]:
        shares[key] += 1
    return {key: n for key, n in shares.items() if n}


def weighted_draw(weights: Mapping[object, Decimal], count: int, seed: str) -> list:
    """`count` keys drawn without replacement, each with probability in proportion to its weight (Efraimidis and
    Spirakis: the largest u^(1/w)); the same weights and seed always draw the same keys."""
    rng = random.Random(seed)
    keyed = [
        (rng.random() ** (1 / float(w)), key) for key, w in sorted(weights.items(), key=lambda kv: str(kv[0])) if w > 0
    ]
    return [key for _k, key in heapq.nlargest(count, keyed, key=lambda pair: pair[0])]


def rapid_objection_open(*, tested_at: datetime.datetime, now: datetime.datetime, farm_produce: bool) -> bool:
    """Whether a business may still object to a rapid test: farm produce only, within 4 hours of the result
    [V: FSL art. 88 ¶2]."""
    return farm_produce and now <= tested_at + datetime.timedelta(hours=RAPID_TEST_OBJECTION_HOURS)
