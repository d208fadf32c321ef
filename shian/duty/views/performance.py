"""Director performance (履职评价): the evaluation of each business's director over a window, ranked in a region."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from shian.registry.models import Operator

from ..choices import DutyRole
from ..performance import COMPONENTS, evaluations
from .records import window

WINDOW_DAYS = 90


@login_required
@permission_required("duty.view_appointment", raise_exception=True)
def performance_view(request):
    today = timezone.localdate()
    first, last = window(request, today, days=WINDOW_DAYS)
    role = DutyRole.OFFICER if request.GET.get("role") == DutyRole.OFFICER else DutyRole.DIRECTOR
    operators = Operator.objects.visible_to(request.user)
    region = request.GET.get("region", "")
    if region.isdigit():
        operators = operators.in_region(region)
    context = {
        "rows": evaluations(operators, first=first, last=last, today=today, role=role),
        "components": COMPONENTS,
        "first": first,
        "last": last,
        "role": role,
        "keep": [("region", region), ("role", role)] if region else [("role", role)],
    }
    return render(request, "duty/performance.html", context)
