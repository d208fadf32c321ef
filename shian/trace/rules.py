"""The rules of an incoming check (进货查验), as plain functions: what a delivery lacks, given what its product
class requires (shian/trace/data/receiving.toml: FSL art. 53 [R]; regulations.md §5.1-5.2 [S])."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import DocumentLevel


@dataclass(frozen=True)
class Paper:
    """A paper as the check sees it: its kind's code, number and validity."""

    kind: str
    number: str
    issued_on: datetime.date | None = None
    valid_until: datetime.date | None = None

    def valid_on(self, day: datetime.date) -> bool:
        return (self.issued_on is None or self.issued_on <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class Requirement:
    kind: str
    name: str
    level: str


def receipt_problems(
    *,
    day: datetime.date,
    requires_trace_code: bool,
    class_name: str,
    codes: list[str],
    code_lots: dict[str, int | None],
    lot_id: int,
    required: list[Requirement],
    handed_over: list[Paper],
    on_file: list[Paper],
) -> list[str]:
    """Every reason to refuse the delivery (none: accept it). `code_lots`: the lot each known trace code is bound
    to; `on_file`: papers already kept for the lot or the supplier (a delivery's own papers come with it)."""
    problems = []
    if requires_trace_code and not codes:
        problems.append(_("无码不准经营: %(product)s must come with its trace code") % {"product": class_name})
    for code in codes:
        if code not in code_lots:
            problems.append(_("trace code %(code)s is not registered on the trace") % {"code": code})
        elif code_lots[code] not in (None, lot_id):
            problems.append(_("trace code %(code)s belongs to another lot") % {"code": code})
    for need in required:
        given = [p for p in handed_over if p.kind == need.kind]
        kept = [p for p in on_file if p.kind == need.kind] if need.level != DocumentLevel.RECEIPT else []
        if any(p.valid_on(day) for p in given + kept):
            continue
        if given or kept:
            paper = (given + kept)[0]
            problems.append(
                _("%(name)s %(number)s is not valid on %(day)s")
                % {"name": need.name, "number": paper.number, "day": day.isoformat()}
            )
        else:
            problems.append(_("%(name)s is missing") % {"name": need.name})
    return problems


def supplier_grade(*, refusals_last_year: int, failed_samples: int, licence_left_days: int | None) -> str:
    """A supplier's grade from its record, for the buyer's register (a product rule, not a legal one): C after a
    failed sample (three years), two refused deliveries (a year) or without a valid licence; B after one refusal
    or with the licence expiring within 30 days; A otherwise."""
    if failed_samples or refusals_last_year >= 2 or licence_left_days is None or licence_left_days < 0:
        return "C"
    if refusals_last_year or licence_left_days < 30:
        return "B"
    return "A"


def may_answer(*, holder_operator: int | None, own_operators: set[int], is_bureau: bool) -> bool:
    """Who answers for a holder under a control order: its own staff; for a place off the platform, the bureau
    that follows the order records what it was told."""
    return holder_operator in own_operators if holder_operator else is_bureau
