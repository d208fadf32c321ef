from django.utils import timezone

from shian.core.choices import UserKind
from shian.core.home import Card, home_card

from .selectors import waiting_spot_tests


@home_card
def spot_tests_home_card(user) -> Card | None:
    """A business user's spot tests waiting to be taken (only when there are some)."""
    if user.kind != UserKind.BUSINESS or not user.has_perm("training.add_exam"):
        return None
    today = timezone.localdate()
    exams = list(waiting_spot_tests(user, today=today)[:5])
    return Card("training/cards/home_spot.html", {"exams": exams, "today": today}, order=4) if exams else None
