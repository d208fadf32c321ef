"""The business's Order 60 appointments: who holds each role, who is missing, who may be appointed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.outcome import report
from shian.registry.shortcuts import operator_for

from ..forms import AppointmentForm
from ..models import Appointment
from ..selectors import staffing_of
from ..services.staffing import appointment_end, appointment_make


@login_required
@permission_required("duty.view_appointment", raise_exception=True)
def staffing_view(request, pk):
    operator = operator_for(request, pk)
    can_appoint = request.user.has_perm("duty.add_appointment")
    form = AppointmentForm(request.POST or None, operator=operator, initial={"appointed_on": timezone.localdate()})
    if request.method == "POST" and can_appoint and form.is_valid():
        try:
            appointment_make(operator=operator, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Appointed."))
            return redirect("duty-staffing", pk=operator.pk)
    context = {
        "operator": operator,
        "staffing": staffing_of(operator),
        "history": Appointment.objects.filter(operator=operator, ended_on__isnull=False).select_related("staff")[:50],
        "form": form if can_appoint else None,
    }
    return render(request, "duty/staffing.html", context)


@login_required
@require_POST
@permission_required("duty.change_appointment", raise_exception=True)
def staffing_end(request, pk, appointment):
    operator = operator_for(request, pk)
    target = get_object_or_404(Appointment.objects.filter(operator=operator), pk=appointment)
    report(
        request,
        lambda: appointment_end(appointment=target, ended_on=timezone.localdate(), by=request.user),
        _("The appointment has ended."),
    )
    return redirect("duty-staffing", pk=operator.pk)
