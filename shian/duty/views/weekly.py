"""The weekly review: pre-filled from the week's daily checks and last week's open problems, then each problem's
rectification line, the assessment and the signature."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.outcome import report
from shian.core.responses import pdf_response
from shian.registry.selectors import membership_role
from shian.registry.shortcuts import operator_for

from ..choices import Frequency
from ..documents import weekly_review_pdf
from ..forms import ProblemForm, RectificationLineForm, ReviewForm
from ..models import WeeklyReview
from ..rules import period_end
from ..selectors import points_checked
from ..services.records import (
    weekly_problem_save,
    weekly_review_open,
    weekly_review_refresh,
    weekly_review_sign,
    weekly_review_update,
)
from .common import record_for


@login_required
@require_POST
@permission_required("duty.add_weeklyreview", raise_exception=True)
def weekly_open(request, pk):
    operator = operator_for(request, pk)
    week = parse_date(request.POST.get("week", "")) or timezone.localdate()
    try:
        review = weekly_review_open(operator=operator, by=request.user, week=week)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("duty-operator-card", pk=operator.pk)
    return redirect("duty-weekly-detail", pk=review.pk)


def _problems(review: WeeklyReview):
    return list(review.problems.select_related("daily_line__daily_check").order_by("order"))


@login_required
@permission_required("duty.view_weeklyreview", raise_exception=True)
def weekly_detail(request, pk):
    review = record_for(request, WeeklyReview, pk, "recorded_by")
    problems = _problems(review)
    editing = (
        not review.is_signed
        and request.user.has_perm("duty.add_weeklyreview")
        and membership_role(request.user, review.operator) is not None
    )
    if editing:
        for problem in problems:
            problem.form = RectificationLineForm(instance=problem, prefix=f"p{problem.pk}")
    context = {
        "review": review,
        "end": period_end("weekly", review.week),
        "problems": problems,
        "editing": editing,
        "review_form": ReviewForm(instance=review) if editing else None,
        "new_problem_form": ProblemForm(prefix="new") if editing else None,
        "periodic_points": points_checked(review.operator, Frequency.WEEKLY) if editing else [],
    }
    return render(request, "duty/weekly_detail.html", context)


@login_required
@require_POST
@permission_required("duty.add_weeklyreview", raise_exception=True)
def weekly_update(request, pk):
    review = record_for(request, WeeklyReview, pk)
    form = ReviewForm(request.POST, instance=review)
    if form.is_valid():
        report(request, lambda: weekly_review_update(review=review, by=request.user, **form.cleaned_data), _("Saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("duty-weekly-detail", pk=review.pk)


@login_required
@require_POST
@permission_required("duty.add_weeklyreview", raise_exception=True)
def weekly_problem(request, pk, problem=None):
    review = record_for(request, WeeklyReview, pk)
    target = get_object_or_404(review.problems, pk=problem) if problem else None
    form = (
        RectificationLineForm(request.POST, prefix=f"p{target.pk}")
        if target
        else ProblemForm(request.POST, prefix="new")
    )
    if form.is_valid():
        report(
            request,
            lambda: weekly_problem_save(review=review, by=request.user, problem=target, **form.cleaned_data),
            _("Saved."),
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    url = reverse("duty-weekly-detail", args=[review.pk])
    return redirect(f"{url}#problem-{target.pk}" if target else url)


@login_required
@require_POST
@permission_required("duty.add_weeklyreview", raise_exception=True)
def weekly_refresh(request, pk):
    review = record_for(request, WeeklyReview, pk)
    try:
        added = weekly_review_refresh(review=review, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d new problem(s) from the daily checks.") % {"n": added})
    return redirect("duty-weekly-detail", pk=review.pk)


@login_required
@require_POST
@permission_required("duty.add_weeklyreview", raise_exception=True)
def weekly_sign(request, pk):
    review = record_for(request, WeeklyReview, pk)
    report(request, lambda: weekly_review_sign(review=review, by=request.user), _("The weekly review is signed."))
    return redirect("duty-weekly-detail", pk=review.pk)


@login_required
@permission_required("duty.view_weeklyreview", raise_exception=True)
def weekly_pdf(request, pk):
    review = record_for(request, WeeklyReview, pk, "recorded_by")
    return pdf_response(weekly_review_pdf(review, _problems(review)), f"weekly-review-{review.week}.pdf")
