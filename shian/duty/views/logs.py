"""The daily operational records (台账) of a business: what each day needs, the entries, and a form per record."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from shian.registry.selectors import membership_role
from shian.registry.shortcuts import operator_for

from ..choices import LogKind
from ..forms import entry_form_class
from ..logbook import SPECS, required_logs
from ..models import LogEntry
from ..services.logs import log_entry_record


def _day(request, today: datetime.date) -> datetime.date:
    day = parse_date(request.GET.get("day") or "") or today
    return min(day, today)


@login_required
@permission_required("duty.view_logentry", raise_exception=True)
def logs_view(request, pk):
    operator = operator_for(request, pk)
    today = timezone.localdate()
    day = _day(request, today)
    required = required_logs(operator.category, operator.canteen_kind)
    counts = {kind: 0 for kind in LogKind.values}
    for kind in LogEntry.objects.filter(operator=operator, day=day).values_list("kind", flat=True):
        counts[kind] += 1
    rows = [(kind, LogKind(kind).label, counts[kind], kind in required) for kind in LogKind.values]
    return render(request, "duty/logs.html", {"operator": operator, "day": day, "today": today, "rows": rows})


@login_required
@permission_required("duty.view_logentry", raise_exception=True)
def log_view(request, pk, kind):
    operator = operator_for(request, pk)
    if kind not in LogKind.values:
        raise Http404
    today = timezone.localdate()
    day = _day(request, today)
    can_write = request.user.has_perm("duty.add_logentry") and membership_role(request.user, operator) is not None
    form_class = entry_form_class(kind, operator)
    form = form_class(request.POST or None) if can_write else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if value not in (None, "", [])}
        try:
            log_entry_record(operator=operator, kind=kind, data=data, by=request.user)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Recorded."))
            return redirect("duty-log", pk=operator.pk, kind=kind)
    entries = list(
        LogEntry.objects.filter(operator=operator, kind=kind, day=day).select_related("staff", "recorded_by")
    )
    labels = {spec.name: spec.label for spec in SPECS[kind]}
    for entry in entries:
        entry.shown = [(labels[name], value) for name, value in entry.data.items() if name != "staff"]
    context = {
        "operator": operator,
        "kind": kind,
        "label": LogKind(kind).label,
        "day": day,
        "today": today,
        "entries": entries,
        "form": form,
    }
    return render(request, "duty/log.html", context)
