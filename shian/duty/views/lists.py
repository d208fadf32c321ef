"""The business's risk-control list: adopt a template, revise, edit a draft's points, put it in force."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.outcome import report
from shian.registry.shortcuts import operator_for

from ..choices import ListStatus
from ..forms import ListForm, PointForm
from ..models import RiskControlList, RiskPoint
from ..services.lists import (
    control_list_adopt,
    control_list_discard,
    control_list_put_in_force,
    control_list_revise,
    control_list_update,
    risk_point_remove,
    risk_point_save,
    template_for,
)


def _lists(operator):
    return RiskControlList.objects.filter(operator=operator)


@login_required
@permission_required("duty.view_riskcontrollist", raise_exception=True)
def control_list_view(request, pk):
    operator = operator_for(request, pk)
    lists = _lists(operator)
    current = lists.filter(status=ListStatus.IN_FORCE).first()
    draft = lists.filter(status=ListStatus.DRAFT).first()
    shown = draft if draft and request.GET.get("v") != "current" else current
    version = request.GET.get("version")
    if version and version.isdigit():
        shown = get_object_or_404(lists, version=int(version))
    can_edit = request.user.has_perm("duty.change_riskcontrollist")
    context = {
        "operator": operator,
        "current": current,
        "draft": draft,
        "shown": shown,
        "points": list(shown.points.all()) if shown else [],
        "versions": list(lists.order_by("-version")),
        "template": template_for(operator) if can_edit and not draft else None,
        "templates": RiskControlList.objects.templates().order_by("code", "-version"),
        "can_edit": can_edit,
        "list_form": ListForm(instance=draft) if can_edit and draft and shown == draft else None,
        "point_form": PointForm() if can_edit and draft and shown == draft else None,
    }
    return render(request, "duty/control_list.html", context)


@login_required
@require_POST
@permission_required("duty.change_riskcontrollist", raise_exception=True)
def control_list_action(request, pk, action):
    operator = operator_for(request, pk)
    lists = _lists(operator)
    if action == "adopt":
        template = get_object_or_404(RiskControlList.objects.templates(), pk=request.POST.get("template"))
        report(
            request,
            lambda: control_list_adopt(operator=operator, template=template, by=request.user),
            _("The template was copied as your draft list."),
        )
    elif action == "revise":
        current = get_object_or_404(lists, status=ListStatus.IN_FORCE)
        report(
            request,
            lambda: control_list_revise(control_list=current, by=request.user),
            _("A draft revision was started."),
        )
    elif action == "in-force":
        draft = get_object_or_404(lists, status=ListStatus.DRAFT)
        report(
            request,
            lambda: control_list_put_in_force(control_list=draft, by=request.user, on=timezone.localdate()),
            _("The list is in force from today."),
        )
    elif action == "discard":
        draft = get_object_or_404(lists, status=ListStatus.DRAFT)
        report(
            request, lambda: control_list_discard(control_list=draft, by=request.user), _("The draft was discarded.")
        )
    elif action == "settings":
        draft = get_object_or_404(lists, status=ListStatus.DRAFT)
        form = ListForm(request.POST, instance=draft)
        if form.is_valid():
            report(
                request,
                lambda: control_list_update(control_list=draft, by=request.user, **form.cleaned_data),
                _("Saved."),
            )
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("duty-list", pk=operator.pk)


@login_required
@permission_required("duty.change_riskcontrollist", raise_exception=True)
def point_edit(request, pk, point=None):
    operator = operator_for(request, pk)
    draft = get_object_or_404(_lists(operator), status=ListStatus.DRAFT)
    instance = get_object_or_404(draft.points, pk=point) if point else None
    form = PointForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            risk_point_save(control_list=draft, by=request.user, point=instance, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Risk point saved."))
            return redirect("duty-list", pk=operator.pk)
    return render(request, "duty/point_form.html", {"operator": operator, "form": form, "point": instance})


@login_required
@require_POST
@permission_required("duty.change_riskcontrollist", raise_exception=True)
def point_remove(request, pk, point):
    operator = operator_for(request, pk)
    target = get_object_or_404(RiskPoint.objects.filter(control_list__operator=operator), pk=point)
    report(request, lambda: risk_point_remove(point=target, by=request.user), _("Risk point removed."))
    return redirect("duty-list", pk=operator.pk)
