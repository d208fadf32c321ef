"""The navigation bar, by role. Apps add items with `navigation` on their AppConfig."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import UserKind


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    kinds: tuple[str, ...] = ()  # empty: every kind of user
    perm: str = ""


CORE_NAVIGATION = [
    NavItem(_("Home"), "home", order=0),
    NavItem(_("Evidence"), "evidence-list", order=80, perm="core.view_evidence"),
    NavItem(_("Audit log"), "audit-log", order=90, kinds=(UserKind.REGULATOR,), perm="core.view_auditentry"),
]


def navigation_for(user) -> list[dict]:
    items = list(CORE_NAVIGATION)
    for config in apps.get_app_configs():
        if config.name != "shian.core":
            items.extend(getattr(config, "navigation", []))
    visible = [
        item
        for item in items
        if (not item.kinds or user.kind in item.kinds or user.is_superuser)
        and (not item.perm or user.has_perm(item.perm))
    ]
    return [
        {"label": item.label, "url": reverse(item.url_name), "name": item.url_name}
        for item in sorted(visible, key=lambda i: i.order)
    ]
