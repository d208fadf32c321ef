from django.utils import timezone

from shian.core.home import Card
from shian.registry.file_cards import file_card

from .selectors import duty_today


@file_card
def duty_card(operator, user) -> Card | None:
    """Order 60 on the business's file: staffing gaps, today's check, the week's and the month's records, misses."""
    if not user.has_perm("duty.view_dailycheck"):
        return None
    return Card("duty/cards/file_duty.html", {"duty": duty_today(operator, today=timezone.localdate())}, order=25)
