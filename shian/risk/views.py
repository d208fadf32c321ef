from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.models import Region
from shian.core.outcome import report
from shian.registry.shortcuts import operator_for

from .forms import FactsForm, OverrideForm
from .models import RegradeRun, RiskFact, RiskGrade
from .selectors import grade_history, recorded_facts_table
from .services import (
    grade_override,
    grade_override_lift,
    operator_regrade,
    regrade_run_create,
    risk_facts_record,
)


@login_required
@permission_required("risk.view_riskgrade", raise_exception=True)
def operator_risk(request, pk):
    """An operator's grade with every point explained, its history, the recorded facts and the override."""
    operator = operator_for(request, pk)
    current = RiskGrade.objects.current().filter(operator=operator).select_related("ruleset", "graded_by").first()
    ruleset, table = recorded_facts_table(operator)
    facts_form = None
    if table is not None:
        values = dict(RiskFact.objects.filter(operator=operator).values_list("key", "value"))
        facts_form = FactsForm(table=table, recorded=set(ruleset.spec.facts_recorded), values=values)
    history = Paginator(grade_history(operator=operator, user=request.user), 20).get_page(request.GET.get("page"))
    context = {
        "operator": operator,
        "grade": current,
        "ruleset": ruleset,
        "parts": _parts(current),
        "history": history,
        "facts_form": facts_form,
        "override_form": OverrideForm(initial={"grade": current.grade if current else "B"}),
    }
    return render(request, "risk/operator_risk.html", context)


def _parts(grade: RiskGrade | None) -> list[dict]:
    if grade is None:
        return []
    labels = {
        "static": _("Static factors"),
        "dynamic": _("Dynamic factors"),
        "credit": _("Credit"),
        "adjustment": _("Adjustments"),
        "force": _("Set by an event"),
        "override": _("Set by hand"),
    }
    scores = {"static": grade.static_score, "dynamic": grade.dynamic_score, "credit": grade.credit_score}
    return [
        {"key": key, "label": label, "score": scores.get(key), "points": grade.points_of(key)}
        for key, label in labels.items()
        if grade.points_of(key) or key in ("static", "dynamic")
    ]


@login_required
@require_POST
@permission_required("risk.add_riskgrade", raise_exception=True)
def operator_regrade_view(request, pk):
    operator = operator_for(request, pk)
    try:
        grade = operator_regrade(operator=operator, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Graded %(grade)s.") % {"grade": grade.grade})
    return redirect("operator-risk", pk=operator.pk)


@login_required
@require_POST
@permission_required("risk.change_riskfact", raise_exception=True)
def operator_facts_view(request, pk):
    operator = operator_for(request, pk)
    ruleset, table = recorded_facts_table(operator)
    if table is None:
        raise PermissionDenied
    form = FactsForm(request.POST, table=table, recorded=set(ruleset.spec.facts_recorded), values={})
    if form.is_valid():
        risk_facts_record(operator=operator, facts=form.facts(), by=request.user)
        messages.success(request, _("Facts recorded and the grade recomputed."))
    else:
        messages.error(request, _("The facts were not recorded: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("operator-risk", pk=operator.pk)


@login_required
@require_POST
@permission_required("risk.override_grade", raise_exception=True)
def operator_override_view(request, pk):
    operator = operator_for(request, pk)
    if request.POST.get("lift"):
        report(request, lambda: grade_override_lift(operator=operator, by=request.user), _("Grade set by hand lifted."))
        return redirect("operator-risk", pk=operator.pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        report(
            request,
            lambda: grade_override(operator=operator, by=request.user, **form.cleaned_data),
            _("Grade set by hand."),
        )
    else:
        messages.error(request, _("Give a grade and the reason."))
    return redirect("operator-risk", pk=operator.pk)


@login_required
@permission_required("risk.view_regraderun", raise_exception=True)
def regrade_runs(request):
    """Bulk regrades of the user's jurisdiction: start one (a job for the worker) and follow them."""
    if request.method == "POST":
        if not request.user.has_perm("risk.add_regraderun"):
            raise PermissionDenied
        region = Region.objects.filter(code=request.user.jurisdiction_id).first()
        if region is None and not request.user.is_superuser:
            raise PermissionDenied
        regrade_run_create(region=region, by=request.user)
        messages.success(request, _("The regrade was queued; it runs in the background."))
        return redirect("risk-regrade")
    runs = RegradeRun.objects.visible_to(request.user).select_related("region", "requested_by")[:50]
    return render(request, "risk/regrade_runs.html", {"runs": runs})
