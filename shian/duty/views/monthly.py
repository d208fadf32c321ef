"""The monthly meeting's minutes with next month's priorities, and the year-end summary of the twelve months."""

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.outcome import report
from shian.core.responses import pdf_response
from shian.registry.selectors import membership_role
from shian.registry.shortcuts import operator_for

from ..choices import Assessment, DutyKind, Frequency
from ..documents import monthly_meeting_pdf
from ..forms import MeetingForm, PriorityFormSet
from ..models import MonthlyMeeting
from ..rules import period_end
from ..selectors import period_summary, points_checked, year_summary
from ..services.records import monthly_meeting_record, monthly_meeting_sign
from .common import record_for


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise Http404 from exc


def _prefill(operator, month: datetime.date, today: datetime.date) -> dict:
    """What the month's records say, as a first draft of the report (the director edits it)."""
    summary = period_summary(operator, first=month, last=period_end(DutyKind.MONTHLY, month), today=today)
    daily = summary.completion.get(DutyKind.DAILY)
    weekly = summary.completion.get(DutyKind.WEEKLY)
    serious = summary.assessments.count(Assessment.SERIOUS) + summary.assessments.count(Assessment.HAZARDS)
    report_text = _(
        "Daily checks kept on %(daily_done)d of %(daily_due)d days; weekly reviews %(weekly_done)d of %(weekly_due)d; "
        "%(found)d problem(s) found, %(fixed)d fixed, %(open)d still open; %(serious)d week(s) with hazards."
    ) % {
        "daily_done": daily.done if daily else 0,
        "daily_due": daily.due if daily else 0,
        "weekly_done": weekly.done if weekly else 0,
        "weekly_due": weekly.due if weekly else 0,
        "found": summary.found,
        "fixed": summary.fixed,
        "open": summary.still_open,
        "serious": serious,
    }
    return {"director_report": report_text, "held_at": timezone.localtime().replace(second=0, microsecond=0)}


@login_required
@permission_required("duty.add_monthlymeeting", raise_exception=True)
def monthly_edit(request, pk, month):
    operator = operator_for(request, pk)
    month = _month(month)
    meeting = MonthlyMeeting.objects.filter(operator=operator, month=month).first()
    if meeting is not None and meeting.is_signed:
        return redirect("duty-monthly-detail", pk=meeting.pk)
    today = timezone.localdate()
    initial = (
        [{"text": p.text, "owner": p.owner, "deadline": p.deadline} for p in meeting.priorities.all()]
        if meeting
        else []
    )
    form = MeetingForm(
        request.POST or None, instance=meeting, initial=None if meeting else _prefill(operator, month, today)
    )
    priorities = PriorityFormSet(request.POST or None, initial=initial, prefix="priority")
    if request.method == "POST" and form.is_valid() and priorities.is_valid():
        rows = [row for row in priorities.cleaned_data if row]
        try:
            meeting = monthly_meeting_record(
                operator=operator, by=request.user, month=month, priorities=rows, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect("duty-monthly-detail", pk=meeting.pk)
    context = {
        "operator": operator,
        "month": month,
        "form": form,
        "priorities": priorities,
        "meeting": meeting,
        "periodic_points": points_checked(operator, Frequency.MONTHLY),
    }
    return render(request, "duty/monthly_form.html", context)


@login_required
@permission_required("duty.view_monthlymeeting", raise_exception=True)
def monthly_detail(request, pk):
    meeting = record_for(request, MonthlyMeeting, pk, "recorded_by")
    editing = (
        not meeting.is_signed
        and request.user.has_perm("duty.add_monthlymeeting")
        and membership_role(request.user, meeting.operator) is not None
    )
    context = {"meeting": meeting, "priorities": list(meeting.priorities.all()), "editing": editing}
    return render(request, "duty/monthly_detail.html", context)


@login_required
@require_POST
@permission_required("duty.add_monthlymeeting", raise_exception=True)
def monthly_sign(request, pk):
    meeting = record_for(request, MonthlyMeeting, pk)
    report(request, lambda: monthly_meeting_sign(meeting=meeting, by=request.user), _("The minutes are signed."))
    return redirect("duty-monthly-detail", pk=meeting.pk)


@login_required
@permission_required("duty.view_monthlymeeting", raise_exception=True)
def monthly_pdf(request, pk):
    meeting = record_for(request, MonthlyMeeting, pk, "recorded_by")
    return pdf_response(
        monthly_meeting_pdf(meeting, list(meeting.priorities.all())), f"monthly-meeting-{meeting.month:%Y-%m}.pdf"
    )


@login_required
@permission_required("duty.view_monthlymeeting", raise_exception=True)
def year_view(request, pk, year):
    operator = operator_for(request, pk)
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        raise Http404
    whole, months = year_summary(operator, year=year, today=today)
    return render(request, "duty/year.html", {"operator": operator, "year": year, "whole": whole, "months": months})
