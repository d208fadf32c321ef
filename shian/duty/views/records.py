"""One business's records over a window, with the days, weeks and months missed: the business's own archive and
the regulator's drill-down."""

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from shian.registry.shortcuts import operator_for

from ..models import DailyCheck, MonthlyMeeting, WeeklyReview
from ..selectors import standings


def window(request, today: datetime.date, days: int = 30) -> tuple[datetime.date, datetime.date]:
    """The `from`–`to` dates asked for (at most a year apart, never after today), else the last `days` days."""
    last = parse_date(request.GET.get("to") or "") or today
    first = parse_date(request.GET.get("from") or "") or last - datetime.timedelta(days=days - 1)
    last = min(last, today)
    first = max(min(first, last), last - datetime.timedelta(days=366))
    return first, last


@login_required
@permission_required("duty.view_dailycheck", raise_exception=True)
def records_view(request, pk):
    operator = operator_for(request, pk)
    today = timezone.localdate()
    first, last = window(request, today)
    standing = standings(type(operator).objects.filter(pk=operator.pk), first=first, last=last, today=today)[
        operator.pk
    ]
    context = {
        "operator": operator,
        "first": first,
        "last": last,
        "standing": standing,
        "daily": DailyCheck.objects.filter(operator=operator, day__range=(first, last)).select_related("recorded_by"),
        "weekly": WeeklyReview.objects.filter(
            operator=operator, week__range=(first - datetime.timedelta(days=6), last)
        ),
        "monthly": MonthlyMeeting.objects.filter(operator=operator, month__range=(first.replace(day=1), last)),
        "summary": [(kind, standing.completion[kind], standing.missed[kind]) for kind in standing.completion],
    }
    return render(request, "duty/records.html", context)
