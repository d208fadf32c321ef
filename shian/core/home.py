"""The home page of each kind of user, assembled from cards that apps register in their `home.py`."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

from .choices import UserKind


@dataclass
class Card:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    width: str = "col-12 col-lg-6"


_providers: list[Callable] = []
_discovered = False


def home_card(provider: Callable):
    """Register `provider(user) -> Card | None`; it decides itself whom its card is for."""
    _providers.append(provider)
    return provider


def cards_for(user) -> list[Card]:
    global _discovered
    if not _discovered:
        autodiscover_modules("home")
        _discovered = True
    cards = [card for provider in _providers if (card := provider(user)) is not None]
    return sorted(cards, key=lambda c: c.order)


HOME_TEMPLATES = {
    UserKind.REGULATOR: "core/home_regulator.html",
    UserKind.BUSINESS: "core/home_business.html",
    UserKind.LAB: "core/home_lab.html",
    UserKind.PUBLIC: "core/home_public.html",
}


def home_for(user) -> tuple[str, dict]:
    template = HOME_TEMPLATES[UserKind.REGULATOR if user.is_superuser else user.kind]
    return template, {"cards": cards_for(user)}


@home_card
def inbox_card(user) -> Card:
    return Card(
        "core/cards/inbox.html",
        {"notes": user.notifications.filter(read_at__isnull=True)[:5]},
        order=90,
    )


@home_card
def audit_card(user) -> Card | None:
    if not user.has_perm("core.view_auditentry") or (user.kind != UserKind.REGULATOR and not user.is_superuser):
        return None
    from .models import AuditEntry

    return Card(
        "core/cards/audit.html",
        {"entries": AuditEntry.objects.visible_to(user).select_related("actor", "content_type")[:8]},
        order=95,
    )
