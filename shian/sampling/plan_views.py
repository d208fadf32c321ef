"""Pages of sampling plans and 你点我检: plans with their progress against the quota, an officer's tasks, and
the public page where anyone nominates a food and votes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.outcome import report

from .choices import TaskStatus
from .forms import NominationForm, PlanForm, VoteForm
from .models import Nomination, SamplingPlan, SamplingTask
from .selectors import nominations_for_public, plan_progress, tested_because_of_votes
from .services import nomination_create, plan_activate, plan_create, vote_cast


@login_required
@permission_required("sampling.view_samplingplan", raise_exception=True)
def plan_list(request):
    form = PlanForm(request.POST or None, user=request.user, initial={"year": timezone.localdate().year})
    if request.method == "POST" and request.user.has_perm("sampling.add_samplingplan") and form.is_valid():
        try:
            plan = plan_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("sampling-plan-detail", pk=plan.pk)
    plans = SamplingPlan.objects.visible_to(request.user).select_related("region")
    can_create = request.user.has_perm("sampling.add_samplingplan")
    return render(request, "sampling/plan_list.html", {"plans": plans, "form": form if can_create else None})


@login_required
@permission_required("sampling.view_samplingplan", raise_exception=True)
def plan_detail(request, pk):
    plan = get_object_or_404(SamplingPlan.objects.visible_to(request.user).select_related("region"), pk=pk)
    tasks = plan.tasks.select_related("operator", "category", "officer", "sample").order_by("status", "id")
    context = {"plan": plan, "progress": plan_progress(plan), "tasks": tasks[:200], "task_count": tasks.count()}
    return render(request, "sampling/plan_detail.html", context)


@require_POST
@login_required
@permission_required("sampling.change_samplingplan", raise_exception=True)
def plan_activate_view(request, pk):
    plan = get_object_or_404(SamplingPlan.objects.visible_to(request.user), pk=pk)
    report(request, lambda: plan_activate(plan=plan, by=request.user), _("The plan is in force."))
    return redirect("sampling-plan-detail", pk=pk)


@login_required
@permission_required("sampling.add_sample", raise_exception=True)
def my_tasks(request):
    tasks = (
        SamplingTask.objects.visible_to(request.user)
        .filter(officer=request.user, plan__status="active")
        .select_related("operator", "category", "plan", "sample")
        .order_by("status", "plan_id", "id")
    )
    return render(request, "sampling/my_tasks.html", {"tasks": tasks, "open": TaskStatus.OPEN})


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def public_votes(request):
    """你点我检: what the public asked to test (most votes first), how to ask and vote, and what was tested
    because of the votes with its result. No login; a phone number is the voter's key."""
    region = request.GET.get("region", "").strip()
    context = {
        "nominations": nominations_for_public(region if region.isdigit() else "")[:100],
        "tested": tested_because_of_votes(region if region.isdigit() else "")[:50],
        "nominate_form": NominationForm(),
        "vote_form": VoteForm(),
    }
    return render(request, "sampling/public/votes.html", context)


@require_POST
def public_vote(request, pk):
    nomination = get_object_or_404(Nomination, pk=pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            count = vote_cast(nomination=nomination, phone=form.cleaned_data["phone"], client=_client(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: %(n)d votes so far.") % {"n": count})
    else:
        messages.error(request, _("Enter a mainland mobile number (11 digits)."))
    return redirect("public-votes")


@require_POST
def public_nominate(request):
    form = NominationForm(request.POST)
    if form.is_valid():
        try:
            nomination_create(client=_client(request), **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your nomination is listed for votes."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("public-votes")
