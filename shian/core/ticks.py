"""`shian tick`: reminders and escalations. Each handler is idempotent (notifications carry a dedupe key),
so cron may run tick as often as it likes. Apps register handlers in their own `ticks.py`."""

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Role

_handlers: dict[str, Callable[[], int]] = {}


def tick_handler(name: str):
    def register(fn: Callable[[], int]):
        _handlers[name] = fn
        return fn

    return register


def tick() -> dict[str, int]:
    """Run every registered handler; returns how many messages each one sent."""
    return {name: handler() for name, handler in sorted(_handlers.items())}


@tick_handler("core.api_token_expiry")
def remind_expiring_tokens() -> int:
    """Tell a token's creator a week before it expires, once per token."""
    from .models import ApiToken
    from .services.notifications import notify

    soon = timezone.now() + timedelta(days=7)
    sent = 0
    for token in ApiToken.objects.usable().filter(expires_at__lte=soon).select_related("created_by", "user"):
        owner = token.created_by or token.user
        notify(
            recipients=[owner],
            kind="api_token.expiring",
            title=_("API token “%(name)s” expires on %(date)s")
            % {"name": token.name, "date": timezone.localdate(token.expires_at).isoformat()},
            dedupe_key=f"api_token.expiring:{token.pk}:{token.expires_at.date().isoformat()}",
        )
        sent += 1
    return sent


@tick_handler("core.holiday_notice_missing")
def remind_missing_holiday_notice() -> int:
    """From November on, remind administrators weekly to load next year's holiday notice if the calendar
    does not know next year yet (legal deadlines in working days cannot be computed without it)."""
    from .models import User
    from .services.notifications import notify
    from .workdays import year_is_known

    today = timezone.localdate()
    next_year = today.year + 1
    if today.month < 11 or year_is_known(next_year):
        return 0
    admins = User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN), is_active=True).distinct()
    week = today.isocalendar().week
    notify(
        recipients=admins,
        kind="calendar.notice_missing",
        title=_("Load the State Council holiday notice for %(year)s") % {"year": next_year},
        body=_(
            "Working-day deadlines in %(year)s cannot be computed until the notice is loaded "
            "(shian calendar load FILE)."
        )
        % {"year": next_year},
        dedupe_key=f"calendar.notice_missing:{next_year}:{week}",
    )
    return len(admins)
