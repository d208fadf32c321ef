from django.utils import timezone

from shian.core.choices import UserKind
from shian.core.home import Card, home_card
from shian.registry.models import Operator

from .selectors import duty_today


@home_card
def duty_home_card(user) -> Card | None:
    """A business manager's duties of today, for each of their businesses (the first few)."""
    if user.kind != UserKind.BUSINESS or not user.has_perm("duty.add_dailycheck"):
        return None
    today = timezone.localdate()
    cards = [duty_today(operator, today=today) for operator in Operator.objects.visible_to(user).order_by("name")[:5]]
    return Card("duty/cards/home_duty.html", {"duties": cards}, order=5) if cards else None
