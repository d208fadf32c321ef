"""Self-inspections: the business's list and start, the checklist answered item by item, finishing, and opening the
business's own rectification for what it found."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.outcome import report
from shian.inspection.choices import Outcome
from shian.inspection.services import rectification_self_open
from shian.registry.selectors import membership_role
from shian.registry.shortcuts import operator_for

from ..forms import SelfRectificationForm
from ..models import SelfInspection
from ..services.selfcheck import self_inspection_answer, self_inspection_finish, self_inspection_start
from .common import record_for


@login_required
@permission_required("duty.view_selfinspection", raise_exception=True)
def self_list(request, pk):
    operator = operator_for(request, pk)
    context = {
        "operator": operator,
        "inspections": SelfInspection.objects.filter(operator=operator).select_related("template", "started_by"),
        "can_start": request.user.has_perm("duty.add_selfinspection")
        and membership_role(request.user, operator) is not None,
    }
    return render(request, "duty/self_list.html", context)


@login_required
@require_POST
@permission_required("duty.add_selfinspection", raise_exception=True)
def self_start(request, pk):
    operator = operator_for(request, pk)
    try:
        started = self_inspection_start(operator=operator, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("duty-self-list", pk=operator.pk)
    return redirect("duty-self-detail", pk=started.pk)


def _editing(request, self_inspection) -> bool:
    return (
        not self_inspection.is_finished
        and request.user.has_perm("duty.add_selfinspection")
        and membership_role(request.user, self_inspection.operator) is not None
    )


@login_required
@permission_required("duty.view_selfinspection", raise_exception=True)
def self_detail(request, pk):
    self_inspection = record_for(request, SelfInspection, pk, "template", "started_by")
    answers = list(self_inspection.answers.select_related("item"))
    failed = [a for a in answers if a.outcome == Outcome.NO]
    can_order = (
        self_inspection.is_finished
        and failed
        and request.user.has_perm("inspection.submit_rectification")
        and membership_role(request.user, self_inspection.operator) is not None
    )
    form = None
    if can_order:
        form = SelfRectificationForm(
            request.POST or None,
            answers=failed,
            initial={"deadline": timezone.localdate() + datetime.timedelta(days=7)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                order = rectification_self_open(self_inspection=self_inspection, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Rectification opened: report the fix with evidence before the deadline."))
                return redirect("rectification-detail", pk=order.pk)
    context = {
        "self_inspection": self_inspection,
        "answers": answers,
        "editing": _editing(request, self_inspection),
        "outcomes": Outcome.choices,
        "order_form": form,
        "orders": self_inspection.rectifications.all(),
    }
    return render(request, "duty/self_detail.html", context)


class _AnswerForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    note = forms.CharField(required=False, max_length=500)


@login_required
@require_POST
@permission_required("duty.add_selfinspection", raise_exception=True)
def self_answer(request, pk, answer):
    self_inspection = record_for(request, SelfInspection, pk)
    target = get_object_or_404(self_inspection.answers.select_related("item"), pk=answer)
    form = _AnswerForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            self_inspection_answer(answer=target, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose yes, no or not applicable.")
    if request.htmx:
        context = {
            "self_inspection": self_inspection,
            "answer": target,
            "editing": True,
            "outcomes": Outcome.choices,
            "error": error,
        }
        return render(request, "duty/partials/self_answer.html", context)
    if error:
        messages.error(request, error)
    return redirect(reverse("duty-self-detail", args=[self_inspection.pk]) + f"#answer-{target.pk}")


@login_required
@require_POST
@permission_required("duty.add_selfinspection", raise_exception=True)
def self_finish(request, pk):
    self_inspection = record_for(request, SelfInspection, pk)
    report(
        request,
        lambda: self_inspection_finish(
            self_inspection=self_inspection, by=request.user, summary=request.POST.get("summary", "")
        ),
        _("The self-inspection is finished."),
    )
    return redirect("duty-self-detail", pk=self_inspection.pk)
