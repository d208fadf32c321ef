"""The manager duty card (一卡): today's duties and their state for the officer or the director of a business."""

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone

from shian.core.choices import UserKind
from shian.registry.models import Operator
from shian.registry.selectors import membership_role
from shian.registry.shortcuts import operator_for

from ..selectors import duty_today


@login_required
@permission_required("duty.add_dailycheck", raise_exception=True)
def duty_card(request):
    """The card of the user's first business (the card lets them switch to their others)."""
    operator = Operator.objects.visible_to(request.user).order_by("name").first()
    if operator is None:
        return render(request, "duty/card.html", {"card": None})
    return redirect("duty-operator-card", pk=operator.pk)


@login_required
@permission_required("duty.view_dailycheck", raise_exception=True)
def operator_card(request, pk):
    operator = operator_for(request, pk)
    return _card(request, operator, Operator.objects.visible_to(request.user).order_by("name"))


def _card(request, operator, mine):
    today = timezone.localdate()
    context = {
        "card": duty_today(operator, today=today),
        "today": today,
        "role": membership_role(request.user, operator),
        "window_days": settings.SHIAN_DUTY["CARD_WINDOW_DAYS"],
        "operators": list(mine[:50]) if request.user.kind == UserKind.BUSINESS else [],
    }
    return render(request, "duty/card.html", context)
