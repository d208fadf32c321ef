"""The daily check on a phone: started for today, answered item by item (htmx), photos by 五定 upload, signed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.outcome import report
from shian.core.responses import pdf_response
from shian.registry.selectors import membership_role
from shian.registry.shortcuts import operator_for

from ..documents import daily_check_pdf
from ..forms import AnswerForm
from ..models import DailyCheck
from ..services.records import daily_check_answer, daily_check_open, daily_check_sign, line_evidence
from .common import record_for


@login_required
@require_POST
@permission_required("duty.add_dailycheck", raise_exception=True)
def daily_open(request, pk):
    operator = operator_for(request, pk)
    try:
        check = daily_check_open(operator=operator, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("duty-operator-card", pk=operator.pk)
    return redirect("duty-daily-detail", pk=check.pk)


def _lines(check: DailyCheck):
    lines = list(check.lines.select_related("point").order_by("point__order"))
    photos = line_evidence(lines)
    for line in lines:
        line.photos = photos.get(line.pk, [])
    return lines


def _editing(request, check: DailyCheck) -> bool:
    return (
        not check.is_signed
        and request.user.has_perm("duty.add_dailycheck")
        and membership_role(request.user, check.operator) is not None
    )


def _upload_url(check: DailyCheck, line) -> str:
    """The 五定 upload for a line's photo: its scene pre-filled, back to the line afterwards."""
    query = {
        "subject": f"duty.dailycheckline:{line.pk}",
        "scene": f"{line.point.number} {Truncator(line.point.risk).chars(40)}",
        "next": reverse("duty-daily-detail", args=[check.pk]) + f"#line-{line.pk}",
    }
    return f"{reverse('evidence-upload')}?{urlencode(query)}"


@login_required
@permission_required("duty.view_dailycheck", raise_exception=True)
def daily_detail(request, pk):
    check = record_for(request, DailyCheck, pk, "control_list", "recorded_by")
    lines = _lines(check)
    editing = _editing(request, check)
    for line in lines:
        line.upload_url = _upload_url(check, line) if editing else ""
    context = {
        "check": check,
        "lines": lines,
        "editing": editing,
        "answered": sum(1 for line in lines if line.ok is not None),
    }
    return render(request, "duty/daily_detail.html", context)


@login_required
@require_POST
@permission_required("duty.add_dailycheck", raise_exception=True)
def daily_answer(request, pk, line):
    check = record_for(request, DailyCheck, pk)
    target = get_object_or_404(check.lines.select_related("point"), pk=line)
    form = AnswerForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            daily_check_answer(line=target, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Answer yes or no.")
    if request.htmx:
        target.refresh_from_db()
        target.photos = line_evidence([target]).get(target.pk, [])
        target.upload_url = _upload_url(check, target)
        return render(
            request, "duty/partials/daily_line.html", {"check": check, "line": target, "editing": True, "error": error}
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("duty-daily-detail", args=[check.pk]) + f"#line-{target.pk}")


@login_required
@require_POST
@permission_required("duty.add_dailycheck", raise_exception=True)
def daily_sign(request, pk):
    check = record_for(request, DailyCheck, pk)
    report(request, lambda: daily_check_sign(check=check, by=request.user), _("Today's check is signed."))
    return redirect("duty-daily-detail", pk=check.pk)


@login_required
@permission_required("duty.view_dailycheck", raise_exception=True)
def daily_pdf(request, pk):
    check = record_for(request, DailyCheck, pk, "control_list", "recorded_by")
    return pdf_response(daily_check_pdf(check, _lines(check)), f"daily-check-{check.day}.pdf")
