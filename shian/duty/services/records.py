"""The three records: a daily check answered item by item and signed, the weekly review pre-filled from the week's
daily checks and last week's open problems, and the monthly meeting's minutes with next month's priorities."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.models import Evidence
from shian.core.services.audit import audit_record, snapshot
from shian.core.services.ledger import ledger_append
from shian.core.services.notifications import notify
from shian.core.services.recipients import managers_of
from shian.registry.models import Operator
from shian.registry.selectors import membership_role

from ..choices import Assessment, DutyKind, DutyRole, Frequency, ListStatus, ProblemStatus
from ..models import (
    DailyCheck,
    DailyCheckLine,
    MeetingPriority,
    MonthlyMeeting,
    RiskControlList,
    WeeklyProblem,
    WeeklyReview,
)
from ..rules import SIGNERS, period_end, period_start


def _require_signer(user, operator: Operator, kind: str) -> str:
    role = membership_role(user, operator)
    if role not in SIGNERS[kind]:
        names = " / ".join(str(DutyRole(r).label) for r in SIGNERS[kind])
        raise ValidationError(_("Only the business's %(roles)s keeps this record.") % {"roles": names})
    return role


def line_evidence(lines) -> dict[int, list[Evidence]]:
    """The 五定 photos filed for each daily-check line, by line id."""
    by_line: dict[int, list[Evidence]] = {}
    ids = [str(line.pk) for line in lines]
    photos = Evidence.objects.filter(
        subject_type=ContentType.objects.get_for_model(DailyCheckLine), subject_id__in=ids
    ).order_by("uploaded_at")
    for photo in photos:
        by_line.setdefault(int(photo.subject_id), []).append(photo)
    return by_line


# Daily checks ----------------------------------------------------------------------------------------------------


@transaction.atomic
def daily_check_open(*, operator: Operator, by, day: datetime.date | None = None) -> DailyCheck:
    """Today's check of the business (started if not yet), one line per daily risk point of the list in force."""
    role = _require_signer(by, operator, DutyKind.DAILY)
    day = day or timezone.localdate()
    if day != timezone.localdate():
        raise ValidationError({"day": [_("A daily check is recorded on its day.")]})
    check = DailyCheck.objects.filter(operator=operator, day=day).first()
    if check is not None:
        return check
    control_list = RiskControlList.objects.filter(operator=operator, status=ListStatus.IN_FORCE).first()
    if control_list is None:
        raise ValidationError(_("The business has no risk-control list in force: adopt one first."))
    check = DailyCheck.objects.create(
        operator=operator, day=day, control_list=control_list, recorded_by=by, inspector_role=role
    )
    DailyCheckLine.objects.bulk_create(
        DailyCheckLine(daily_check=check, point=point)
        for point in control_list.points.filter(frequency=Frequency.DAILY)
    )
    audit_record(actor=by, action="duty.daily.open", obj=check)
    return check


def _require_unsigned(record) -> None:
    if record.signed_at is not None:
        raise ValidationError(_("A signed record cannot be changed."))


@transaction.atomic
def daily_check_answer(*, line: DailyCheckLine, by, ok: bool, problem: str = "", action: str = "") -> DailyCheckLine:
    """Answer one item: 是 (as it should be) or 否 with the problem found and the action taken."""
    check = line.daily_check
    _require_signer(by, check.operator, DutyKind.DAILY)
    _require_unsigned(check)
    before = snapshot(line)
    line.ok = ok
    line.problem, line.action = ("", "") if ok else (problem.strip(), action.strip())
    line.full_clean(exclude=["daily_check", "point"])
    line.save(update_fields=["ok", "problem", "action"])
    audit_record(actor=by, action="duty.daily.answer", obj=line, before=before)
    return line


def _daily_payload(check: DailyCheck, lines: list[DailyCheckLine], photos: dict[int, list[Evidence]]) -> dict:
    return {
        "operator": check.operator_id,
        "day": check.day.isoformat(),
        "list": check.control_list_id,
        "by": check.recorded_by_id,
        "lines": [
            {
                "point": line.point.number,
                "ok": line.ok,
                "problem": line.problem,
                "action": line.action,
                "evidence": [str(p.public_id) for p in photos.get(line.pk, [])],
            }
            for line in lines
        ],
    }


@transaction.atomic
def daily_check_sign(*, check: DailyCheck, by) -> DailyCheck:
    """Sign the day's check: every item answered, every problem described, and a photo for each problem on a
    point that needs one. A day without problems is a zero-risk record; problems are reported to the director
    and the main person in charge at once (Order 60 [S])."""
    _require_signer(by, check.operator, DutyKind.DAILY)
    _require_unsigned(check)
    lines = list(check.lines.select_related("point"))
    photos = line_evidence(lines)
    errors = []
    for line in lines:
        number = line.point.number
        if line.ok is None:
            errors.append(_("%(number)s: not answered.") % {"number": number})
        elif not line.ok and not line.problem:
            errors.append(_("%(number)s: describe the problem found.") % {"number": number})
        elif not line.ok and line.point.photo and not photos.get(line.pk):
            errors.append(_("%(number)s: this problem needs a photo (五定).") % {"number": number})
    if errors:
        raise ValidationError(errors)
    before = snapshot(check)
    check.problems = sum(1 for line in lines if not line.ok)
    check.signed_at = timezone.now()
    check.save(update_fields=["problems", "signed_at"])
    audit_record(actor=by, action="duty.daily.sign", obj=check, before=before)
    ledger_append(kind="duty.daily", payload=_daily_payload(check, lines, photos), obj=check, actor=by)
    if check.problems:
        notify(
            recipients=[u for u in managers_of(check.operator_id, [DutyRole.DIRECTOR, DutyRole.PRINCIPAL]) if u != by],
            kind="duty.daily.problems",
            title=_("%(operator)s: %(n)d problem(s) in today's check")
            % {"operator": check.operator, "n": check.problems},
            link=reverse("duty-daily-detail", args=[check.pk]),
            dedupe_key=f"duty.daily.problems:{check.pk}",
        )
    return check


# Weekly reviews --------------------------------------------------------------------------------------------------


def _add_daily_problems(review: WeeklyReview) -> int:
    """Add the week's problems from signed daily checks not yet in the review; returns how many were added."""
    end = period_end(DutyKind.WEEKLY, review.week)
    taken = set(review.problems.exclude(daily_line=None).values_list("daily_line_id", flat=True))
    order = review.problems.aggregate(o=Max("order"))["o"] or 0
    new = []
    lines = (
        DailyCheckLine.objects.filter(
            daily_check__operator=review.operator_id,
            daily_check__day__range=(review.week, end),
            daily_check__signed_at__isnull=False,
            ok=False,
        )
        .select_related("daily_check", "point")
        .order_by("daily_check__day", "point__order")
    )
    for line in lines:
        if line.pk in taken:
            continue
        order += 1
        new.append(
            WeeklyProblem(
                review=review,
                order=order,
                point=line.point,
                point_number=line.point.number,
                description=line.problem,
                found_on=line.daily_check.day,
                daily_line=line,
                measure=line.action,
                owner=line.point.owner,
            )
        )
    WeeklyProblem.objects.bulk_create(new)
    return len(new)


def _carry_open_problems(review: WeeklyReview) -> None:
    """Follow up last week's report: its problems still open come first, with their owner and deadline."""
    last = (
        WeeklyReview.objects.signed()
        .filter(operator=review.operator_id, week__lt=review.week)
        .order_by("-week")
        .first()
    )
    if last is None:
        return
    WeeklyProblem.objects.bulk_create(
        WeeklyProblem(
            review=review,
            order=order,
            point_id=p.point_id,
            point_number=p.point_number,
            description=p.description,
            found_on=p.found_on,
            carried_from=p,
            measure=p.measure,
            owner=p.owner,
            deadline=p.deadline,
        )
        for order, p in enumerate(last.problems.filter(status=ProblemStatus.OPEN), start=1)
    )


@transaction.atomic
def weekly_review_open(*, operator: Operator, by, week: datetime.date) -> WeeklyReview:
    """The week's review (started if not yet), pre-filled with last week's open problems and the problems of the
    week's signed daily checks."""
    role = _require_signer(by, operator, DutyKind.WEEKLY)
    week = period_start(DutyKind.WEEKLY, week)
    if week > timezone.localdate():
        raise ValidationError({"week": [_("The week has not begun.")]})
    review = WeeklyReview.objects.filter(operator=operator, week=week).first()
    if review is not None:
        return review
    review = WeeklyReview.objects.create(operator=operator, week=week, recorded_by=by, reporter_role=role)
    _carry_open_problems(review)
    _add_daily_problems(review)
    audit_record(actor=by, action="duty.weekly.open", obj=review)
    return review


@transaction.atomic
def weekly_review_refresh(*, review: WeeklyReview, by) -> int:
    """Add the daily problems signed since the review was started."""
    _require_signer(by, review.operator, DutyKind.WEEKLY)
    _require_unsigned(review)
    added = _add_daily_problems(review)
    if added:
        audit_record(actor=by, action="duty.weekly.refresh", obj=review, after={"added": added})
    return added


@transaction.atomic
def weekly_review_update(*, review: WeeklyReview, by, **fields) -> WeeklyReview:
    """Change the header, the analysis or the assessment of a draft review."""
    _require_signer(by, review.operator, DutyKind.WEEKLY)
    _require_unsigned(review)
    before = snapshot(review)
    for name in ("recipient", "copy_to", "analysis", "assessment"):
        if name in fields:
            setattr(review, name, fields[name])
    review.full_clean(exclude=["operator", "recorded_by"])
    review.save()
    audit_record(actor=by, action="duty.weekly.update", obj=review, before=before)
    return review


@transaction.atomic
def weekly_problem_save(*, review: WeeklyReview, by, problem: WeeklyProblem | None = None, **fields) -> WeeklyProblem:
    """Add a problem found in the weekly investigation itself, or set a problem's rectification line: measure,
    owner, deadline, and whether (and when) it was fixed."""
    _require_signer(by, review.operator, DutyKind.WEEKLY)
    _require_unsigned(review)
    if problem is None:
        problem = WeeklyProblem(review=review, order=(review.problems.aggregate(o=Max("order"))["o"] or 0) + 1)
        before = None
    else:
        before = snapshot(problem)
    for name, value in fields.items():
        setattr(problem, name, value)
    if problem.status == ProblemStatus.OPEN:
        problem.fixed_on = None
    elif problem.fixed_on is None:
        problem.fixed_on = timezone.localdate()
    problem.full_clean(exclude=["review"])
    problem.save()
    audit_record(actor=by, action="duty.weekly.problem", obj=problem, before=before)
    return problem


def _weekly_payload(review: WeeklyReview, problems: list[WeeklyProblem]) -> dict:
    return {
        "operator": review.operator_id,
        "week": review.week.isoformat(),
        "assessment": review.assessment,
        "analysis": review.analysis,
        "by": review.recorded_by_id,
        "problems": [
            {
                "point": p.point_number,
                "problem": p.description,
                "measure": p.measure,
                "owner": p.owner,
                "deadline": p.deadline.isoformat() if p.deadline else None,
                "status": p.status,
                "fixed_on": p.fixed_on.isoformat() if p.fixed_on else None,
            }
            for p in problems
        ],
    }


@transaction.atomic
def weekly_review_sign(*, review: WeeklyReview, by) -> WeeklyReview:
    """Sign the weekly report: an assessment, and an owner and a deadline for every problem still open."""
    role = _require_signer(by, review.operator, DutyKind.WEEKLY)
    _require_unsigned(review)
    problems = list(review.problems.all())
    errors = []
    if not review.assessment:
        errors.append(_("Choose the week's assessment."))
    for p in problems:
        if p.status == ProblemStatus.OPEN and not (p.owner and p.deadline):
            errors.append(
                _("%(problem)s: give the owner and the deadline of its fix.") % {"problem": p.description[:40]}
            )
    if errors:
        raise ValidationError(errors)
    before = snapshot(review)
    review.recorded_by, review.reporter_role, review.signed_at = by, role, timezone.now()
    review.save(update_fields=["recorded_by", "reporter_role", "signed_at"])
    audit_record(actor=by, action="duty.weekly.sign", obj=review, before=before)
    ledger_append(kind="duty.weekly", payload=_weekly_payload(review, problems), obj=review, actor=by)
    if review.assessment == Assessment.SERIOUS:
        notify(
            recipients=managers_of(review.operator_id, [DutyRole.PRINCIPAL]),
            kind="duty.weekly.serious",
            title=_("%(operator)s: the weekly review found serious hazards") % {"operator": review.operator},
            link=reverse("duty-weekly-detail", args=[review.pk]),
            dedupe_key=f"duty.weekly.serious:{review.pk}",
            sms=True,
        )
    return review


# Monthly meetings ------------------------------------------------------------------------------------------------

MEETING_FIELDS = (
    "held_at",
    "place",
    "chair",
    "attendees",
    "director_report",
    "hazards",
    "open_issues",
    "decisions",
    "recorder",
)


@transaction.atomic
def monthly_meeting_record(
    *, operator: Operator, by, month: datetime.date, priorities: list[dict], **fields
) -> MonthlyMeeting:
    """Write (or rewrite, until signed) the minutes of the month's meeting with next month's priorities, each
    with an owner and a deadline."""
    _require_signer(by, operator, DutyKind.MONTHLY)
    month = period_start(DutyKind.MONTHLY, month)
    if month > timezone.localdate():
        raise ValidationError({"month": [_("The month has not begun.")]})
    meeting = MonthlyMeeting.objects.filter(operator=operator, month=month).first()
    before = None
    if meeting is None:
        meeting = MonthlyMeeting(operator=operator, month=month, recorded_by=by)
    else:
        _require_unsigned(meeting)
        before = snapshot(meeting)
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    errors = {}
    rows = [p for p in priorities if any(str(v).strip() for v in p.values() if v)]
    for index, row in enumerate(rows, start=1):
        if not (str(row.get("text", "")).strip() and str(row.get("owner", "")).strip() and row.get("deadline")):
            errors.setdefault("priorities", []).append(_("Priority %(n)d: give what, who and by when.") % {"n": index})
    try:
        meeting.full_clean(exclude=["operator", "recorded_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    meeting.save()
    meeting.priorities.all().delete()
    MeetingPriority.objects.bulk_create(
        MeetingPriority(
            meeting=meeting, order=n, text=r["text"].strip(), owner=r["owner"].strip(), deadline=r["deadline"]
        )
        for n, r in enumerate(rows, start=1)
    )
    audit_record(
        actor=by,
        action="duty.monthly.record",
        obj=meeting,
        before=before,
        after={**snapshot(meeting), "priorities": [{**r, "deadline": str(r["deadline"])} for r in rows]},
    )
    return meeting


@transaction.atomic
def monthly_meeting_sign(*, meeting: MonthlyMeeting, by) -> MonthlyMeeting:
    """Sign the minutes: they must name at least one of next month's priorities."""
    _require_signer(by, meeting.operator, DutyKind.MONTHLY)
    _require_unsigned(meeting)
    priorities = list(meeting.priorities.all())
    if not priorities:
        raise ValidationError(_("Name at least one priority for next month, with its owner and deadline."))
    before = snapshot(meeting)
    meeting.signed_at = timezone.now()
    meeting.save(update_fields=["signed_at"])
    audit_record(actor=by, action="duty.monthly.sign", obj=meeting, before=before)
    payload = {
        **{name: str(getattr(meeting, name)) for name in MEETING_FIELDS},
        "operator": meeting.operator_id,
        "month": meeting.month.isoformat(),
        "priorities": [{"text": p.text, "owner": p.owner, "deadline": p.deadline.isoformat()} for p in priorities],
    }
    ledger_append(kind="duty.monthly", payload=payload, obj=meeting, actor=by)
    return meeting
