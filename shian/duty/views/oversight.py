"""The regulators' view: completion of the three records per county or per business of their region, businesses
that stopped recording, staffing gaps, problems found and fixed; drill-down to a business's records."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from shian.core.models import Region
from shian.registry.models import Operator

from ..choices import DutyKind
from ..selectors import oversight, total_of
from .records import window


@login_required
@permission_required("duty.view_dailycheck", raise_exception=True)
def oversight_view(request):
    today = timezone.localdate()
    first, last = window(request, today)
    operators = Operator.objects.visible_to(request.user)
    county = request.GET.get("region", "")
    by_region = not county
    if county:
        operators = operators.filter(region_id=county)
    rows = oversight(operators, first=first, last=last, today=today, by_region=by_region)
    context = {
        "rows": rows,
        "total": total_of(rows) if rows else None,
        "first": first,
        "last": last,
        "by_region": by_region,
        "keep": [("region", county)] if county else [],
        "county": Region.objects.filter(pk=county).first() if county else None,
        "kinds": [DutyKind.DAILY, DutyKind.WEEKLY, DutyKind.MONTHLY],
    }
    return render(request, "duty/oversight.html", context)
