"""The timeline of an operator's file (一企一档): one stream of dated events from every module, newest first.

Extension point. Any app adds events to every operator's file by registering a provider in a module named
`timeline.py` (discovered the first time a timeline is built, like the `home.py` cards of `shian.core.home`):

    # shian/inspection/timeline.py
    from shian.registry.timeline import TimelineEvent, timeline_source

    @timeline_source
    def inspections(operator, user):
        for inspection in Inspection.objects.visible_to(user).filter(operator=operator).order_by("-done_at"):
            yield TimelineEvent(at=inspection.done_at, kind="inspection.done", title=..., url=...)

A provider is `provider(operator, user) -> Iterable[TimelineEvent]`:
- it yields only what `user` may see (start from `visible_to(user)`, check permissions for personal data);
- it yields newest first and lazily (a generator over an ordered queryset): the file page reads from each
  provider only as many events as it shows, then merges them all by time;
- `at` is an aware datetime; an event dated in the future (a licence about to expire) is shown as upcoming.
"""

import datetime
import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shian.core.models import AuditEntry

from .choices import LicenceStatus

# A licence is "expiring" this many days before its expiry date (the file page and the list filters agree).
EXPIRING_WITHIN_DAYS = 30


def expiry_state(expires_on: datetime.date | None, today: datetime.date) -> str:
    """How a dated permit stands: "none" (no expiry date), "expired" (before today), "expiring" (within
    EXPIRING_WITHIN_DAYS days) or "valid". Derived, never stored (DESIGN.md §3, time limits)."""
    if expires_on is None:
        return "none"
    days_left = (expires_on - today).days
    if days_left < 0:
        return "expired"
    return "expiring" if days_left <= EXPIRING_WITHIN_DAYS else "valid"


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event on an operator's file. `kind` is a dotted code ("licence.expired"); `colour` a Tabler
    colour name (green, yellow, red, blue, secondary …); `icon` one or two characters shown in the dot."""

    at: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    icon: str = "•"
    colour: str = "secondary"


Provider = Callable[..., Iterable[TimelineEvent]]
_sources: list[Provider] = []
_discovered = False


def timeline_source(provider: Provider) -> Provider:
    """Register `provider(operator, user) -> Iterable[TimelineEvent]` (newest first) for every operator's file."""
    _sources.append(provider)
    return provider


def sources() -> list[Provider]:
    global _discovered
    if not _discovered:
        autodiscover_modules("timeline")
        _discovered = True
    return list(_sources)


@dataclass
class TimelinePage:
    events: list[TimelineEvent]
    offset: int
    has_more: bool

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.events)


def operator_timeline(*, operator, user, offset: int = 0, limit: int = 20) -> TimelinePage:
    """Events `offset` … `offset + limit` of the operator's timeline as `user` may see it, newest first."""
    wanted = offset + limit + 1
    streams = []
    for provider in sources():
        # Each provider promises newest first; sorting what was read guards against small slips in that order.
        head = sorted(islice(provider(operator, user), wanted), key=lambda e: e.at, reverse=True)
        streams.append(head)
    merged = list(islice(heapq.merge(*streams, key=lambda e: e.at, reverse=True), offset, wanted))
    return TimelinePage(events=merged[:limit], offset=offset, has_more=len(merged) > limit)


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the platform's time zone (derived events carry dates, not times)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@timeline_source
def licence_events(operator, user) -> Iterator[TimelineEvent]:
    """Licences issued, expiring within 30 days and expired, derived from their dates."""
    today = timezone.localdate()
    events = []
    for licence in operator.licences.all():
        url = reverse("operator-detail", args=[operator.pk]) + f"#licence-{licence.pk}"
        if licence.issued_on:
            events.append(
                TimelineEvent(
                    at=day_start(licence.issued_on),
                    kind="licence.issued",
                    title=_("Licence %(number)s issued") % {"number": licence.number},
                    detail=licence.authority,
                    url=url,
                    icon="✓",
                    colour="green",
                )
            )
        if licence.status != LicenceStatus.VALID or licence.expires_on is None:
            continue
        state = expiry_state(licence.expires_on, today)
        if state == "expired":
            events.append(
                TimelineEvent(
                    at=day_start(licence.expires_on),
                    kind="licence.expired",
                    title=_("Licence %(number)s expired") % {"number": licence.number},
                    detail=_("A business may not operate on an expired licence."),
                    url=url,
                    icon="!",
                    colour="red",
                )
            )
        elif state == "expiring":
            events.append(
                TimelineEvent(
                    at=day_start(licence.expires_on),
                    kind="licence.expiring",
                    title=ngettext(
                        "Licence %(number)s expires in %(days)s day",
                        "Licence %(number)s expires in %(days)s days",
                        licence.days_left(today),
                    )
                    % {"number": licence.number, "days": licence.days_left(today)},
                    detail=_("Apply for renewal before it expires."),
                    url=url,
                    icon="!",
                    colour="yellow",
                )
            )
    return iter(sorted(events, key=lambda e: e.at, reverse=True))


@timeline_source
def health_certificate_events(operator, user) -> Iterator[TimelineEvent]:
    """Health certificates of staff still working there that have expired (for those who may see staff)."""
    if not user.has_perm("registry.view_staff"):
        return iter(())
    today = timezone.localdate()
    staff = (
        operator.staff.filter(active=True, health_certificate_expires_on__lt=today)
        .order_by("-health_certificate_expires_on", "name")
        .only("pk", "name", "health_certificate_expires_on")
    )
    return (
        TimelineEvent(
            at=day_start(member.health_certificate_expires_on),
            kind="staff.health_certificate.expired",
            title=_("Health certificate of %(name)s expired") % {"name": member.name},
            detail=_("A food handler needs a valid health certificate (Food Safety Law art. 45)."),
            url=reverse("operator-detail", args=[operator.pk]) + f"#staff-{member.pk}",
            icon="✚",
            colour="orange",
        )
        for member in staff
    )


@timeline_source
def audit_events(operator, user) -> Iterator[TimelineEvent]:
    """Changes recorded in the audit trail of the operator and of its licences, filings and staff. Whoever may
    see the operator may read its audit trail (as on the audit page); the entries' contents stay there."""
    from .models import Filing, Licence, Operator, Staff

    types = ContentType.objects.get_for_models(Operator, Licence, Filing, Staff, for_concrete_models=False)
    objects = Q(content_type=types[Operator], object_id=str(operator.pk))
    related_objects = [(Licence, operator.licences), (Filing, operator.filings)]
    if user.has_perm("registry.view_staff"):  # staff entries name people: only for those who may see staff
        related_objects.append((Staff, operator.staff))
    for model, related in related_objects:
        ids = [str(pk) for pk in related.values_list("pk", flat=True)]
        if ids:
            objects |= Q(content_type=types[model], object_id__in=ids)
    entries = AuditEntry.objects.filter(objects).select_related("content_type").order_by("-at", "-id")
    for entry in entries.iterator(chunk_size=100):
        label = f"{entry.content_type.app_label}.{entry.content_type.model}"
        yield TimelineEvent(
            at=entry.at,
            kind=f"audit.{entry.action}",
            title=str(entry.action_label),
            detail=" · ".join(part for part in (entry.object_repr, entry.actor_label or _("system")) if part),
            url=reverse("audit-object", args=[label, entry.object_id]),
            icon="✎",
            colour="blue",
        )
