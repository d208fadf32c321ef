"""Pages of annual plans and their random draws (双随机): drawing up, drawing, publishing, following progress;
inspectors' own tasks; the public list of published plans and results (一公开); recusals."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shian.core.models import Region
from shian.core.outcome import report
from shian.registry.models import Operator

from .choices import DrawKind, InspectionStatus, PlanStatus
from .models import Draw, InspectionPlan, PlanTarget
from .planning import draw_replay, plan_create, plan_draw_inspectors, plan_draw_targets, plan_publish, recusal_declare
from .selectors import plan_progress

_TEXT = {"class": "form-control"}


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=_TEXT)
    )


class DrawTargetsForm(forms.Form):
    ratio = forms.DecimalField(
        label=gettext_lazy("Share of the general pool to draw"),
        min_value=Decimal("0.01"),
        max_value=Decimal(1),
        decimal_places=2,
        initial=Decimal("0.1"),
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.01"}),
    )
    seed = forms.CharField(
        label=gettext_lazy("Seed (empty: a new random one)"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs=_TEXT),
    )


class DrawInspectorsForm(forms.Form):
    seed = forms.CharField(
        label=gettext_lazy("Seed (empty: a new random one)"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs=_TEXT),
    )


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Conflict of interest"), max_length=255, widget=forms.TextInput(attrs=_TEXT)
    )


def _plan(request, pk) -> InspectionPlan:
    return get_object_or_404(InspectionPlan.objects.visible_to(request.user).select_related("region"), pk=pk)


@login_required
@permission_required("inspection.view_inspectionplan", raise_exception=True)
def plan_list(request):
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not request.user.has_perm("inspection.add_inspectionplan"):
            raise PermissionDenied
        region = Region.objects.filter(code=request.user.jurisdiction_id).first()
        if region is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                plan = plan_create(region=region, year=form.cleaned_data["year"], by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect("plan-detail", pk=plan.pk)
    plans = InspectionPlan.objects.visible_to(request.user).select_related("region")
    return render(request, "inspection/plans/list.html", {"plans": plans, "form": form})


@login_required
@permission_required("inspection.view_inspectionplan", raise_exception=True)
def plan_detail(request, pk):
    plan = _plan(request, pk)
    targets = plan.targets.filter(drawn=True).select_related("operator", "pair__inspector_1", "pair__inspector_2")
    show = request.GET.get("show", "")
    if show == "key":
        targets = targets.filter(key_target=True)
    elif show == "unassigned":
        targets = targets.filter(pair__isnull=True)
    elif show == "mine":
        targets = targets.filter(Q(pair__inspector_1=request.user) | Q(pair__inspector_2=request.user))
    targets = targets.annotate(
        done=Count("inspections", filter=Q(inspections__status=InspectionStatus.FINISHED))
    ).order_by("operator__name", "pk")
    draws = [{"draw": d, "verified": draw_replay(d) == d.result} for d in plan.draws.all()]
    context = {
        "plan": plan,
        "progress": plan_progress(plan),
        "draws": draws,
        "page": Paginator(targets, 50).get_page(request.GET.get("page")),
        "show": show,
        "can_draw": request.user.has_perm("inspection.add_draw") and plan.status == PlanStatus.DRAFT,
        "targets_form": DrawTargetsForm(),
        "inspectors_form": DrawInspectorsForm(),
    }
    return render(request, "inspection/plans/detail.html", context)


@login_required
@require_POST
@permission_required("inspection.add_draw", raise_exception=True)
def plan_draw(request, pk, kind):
    plan = _plan(request, pk)
    form = DrawTargetsForm(request.POST) if kind == DrawKind.TARGETS else DrawInspectorsForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("plan-detail", pk=plan.pk)
    seed = form.cleaned_data["seed"] or None
    try:
        if kind == DrawKind.TARGETS:
            draw = plan_draw_targets(plan=plan, ratio=form.cleaned_data["ratio"], seed=seed, by=request.user)
        else:
            draw = plan_draw_inspectors(plan=plan, seed=seed, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Drawn with seed %(seed)s.") % {"seed": draw.seed})
    return redirect("plan-detail", pk=plan.pk)


@login_required
@require_POST
@permission_required("inspection.change_inspectionplan", raise_exception=True)
def plan_publish_view(request, pk):
    plan = _plan(request, pk)
    report(request, lambda: plan_publish(plan=plan, by=request.user), _("The plan is published."))
    return redirect("plan-detail", pk=plan.pk)


@login_required
@permission_required("inspection.view_inspectionplan", raise_exception=True)
def draw_record(request, pk):
    """A draw's full record (seed, pool, parameters, result) as JSON, to repeat it elsewhere."""
    draw = get_object_or_404(Draw.objects.filter(plan__in=InspectionPlan.objects.visible_to(request.user)), pk=pk)
    record = {
        "kind": draw.kind,
        "seed": draw.seed,
        "parameters": draw.parameters,
        "pool": draw.pool,
        "result": draw.result,
        "drawn_at": draw.drawn_at.isoformat(),
    }
    return JsonResponse(record, json_dumps_params={"ensure_ascii": False})


@login_required
@permission_required("inspection.add_inspection", raise_exception=True)
def my_tasks(request):
    """The plan targets drawn for the user this year, with what is done."""
    year = timezone.localdate().year
    targets = (
        PlanTarget.objects.visible_to(request.user)
        .filter(
            Q(pair__inspector_1=request.user) | Q(pair__inspector_2=request.user),
            plan__year=year,
            plan__status=PlanStatus.PUBLISHED,
        )
        .select_related("operator", "plan", "pair__inspector_1", "pair__inspector_2")
        .annotate(done=Count("inspections", filter=Q(inspections__status=InspectionStatus.FINISHED)))
        .order_by("-key_target", "operator__name")
    )
    page = Paginator(targets, 50).get_page(request.GET.get("page"))
    return render(request, "inspection/plans/my_tasks.html", {"page": page, "year": year})


@login_required
@permission_required("inspection.add_recusal", raise_exception=True)
def recusal_new(request, operator_pk):
    operator = get_object_or_404(Operator.objects.visible_to(request.user), pk=operator_pk)
    form = RecusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recusal_declare(
                inspector=request.user, operator=operator, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Your conflict of interest is recorded: draws will not send you there."))
            return redirect("operator-detail", pk=operator.pk)
    return render(request, "inspection/plans/recusal.html", {"operator": operator, "form": form})


def public_plans(request):
    """Published plans (一公开): no login."""
    plans = InspectionPlan.objects.filter(status=PlanStatus.PUBLISHED).select_related("region")
    return render(request, "inspection/public/plans.html", {"plans": plans})


def public_plan(request, pk):
    """A published plan: its draws (seed and pool digest, so anyone holding the record can check them) and the
    published results of its targets. Inspectors' names and recusals are not shown."""
    plan = get_object_or_404(InspectionPlan.objects.filter(status=PlanStatus.PUBLISHED).select_related("region"), pk=pk)
    results = (
        plan.targets.filter(drawn=True, inspections__published_at__isnull=False)
        .values("operator__name", "operator__public_id", "inspections__result", "inspections__finished_at")
        .order_by("operator__name")
    )
    page = Paginator(results, 100).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "draws": plan.draws.all(),
        "page": page,
        "targets": plan.targets.filter(drawn=True).count(),
    }
    return render(request, "inspection/public/plan.html", context)
