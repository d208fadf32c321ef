"""一码一卡一图: a worker's public QR page and the business's printable sheet of staff codes, and its safety status
map. The duty card (一卡) is views/card.py."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from shian.registry.models import Staff
from shian.registry.qr import qr_svg
from shian.registry.rules import mask_name
from shian.registry.shortcuts import operator_for
from shian.registry.views.public import PAGE_MAX_AGE, QR_MAX_AGE, public_view

from ..codes import STATE_LABELS, safety_map, staff_statuses


def _staff(public_id: str) -> Staff:
    return get_object_or_404(Staff.objects.select_related("operator"), public_id=public_id, active=True)


@public_view(max_age=PAGE_MAX_AGE)
def staff_public(request, public_id):
    staff = _staff(public_id)
    status = staff_statuses([staff], today=timezone.localdate())[0]
    return render(request, "duty/public_staff.html", {"status": status})


@public_view(max_age=QR_MAX_AGE, html=False)
def staff_qr(request, public_id):
    staff = _staff(public_id)
    url = request.build_absolute_uri(reverse("public-staff", args=[staff.public_id]))
    return HttpResponse(qr_svg(url, title=mask_name(staff.name)), content_type="image/svg+xml")


@login_required
@permission_required("duty.view_appointment", raise_exception=True)
def staff_codes(request, pk):
    operator = operator_for(request, pk)
    today = timezone.localdate()
    people = staff_statuses(list(operator.staff.filter(active=True).order_by("role", "name")), today=today)
    return render(request, "duty/staff_codes.html", {"operator": operator, "people": people})


@login_required
@permission_required("duty.view_riskcontrollist", raise_exception=True)
def safety_map_view(request, pk):
    operator = operator_for(request, pk)
    control_list, stages = safety_map(operator)
    context = {"operator": operator, "control_list": control_list, "stages": stages, "labels": STATE_LABELS}
    return render(request, "duty/safety_map.html", context)
