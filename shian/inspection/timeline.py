from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from shian.registry.timeline import TimelineEvent, timeline_source

from .choices import RectificationStatus, Result
from .models import Inspection, Rectification, RectificationStep

_COLOURS = {Result.COMPLIANT: "green", Result.BASIC: "yellow", Result.NONCOMPLIANT: "red"}


@timeline_source
def inspection_events(operator, user) -> Iterator[TimelineEvent]:
    """Finished inspections with their result."""
    inspections = Inspection.objects.visible_to(user).finished().filter(operator=operator).order_by("-finished_at")
    for inspection in inspections.iterator(chunk_size=50):
        yield TimelineEvent(
            at=inspection.finished_at,
            kind="inspection.finished",
            title=_("%(kind)s: %(result)s")
            % {"kind": inspection.get_kind_display(), "result": inspection.get_result_display()},
            detail=inspection.summary,
            url=reverse("inspection-detail", args=[inspection.pk]),
            icon="✓" if inspection.result == Result.COMPLIANT else "!",
            colour=_COLOURS.get(inspection.result, "secondary"),
        )


@timeline_source
def rectification_events(operator, user) -> Iterator[TimelineEvent]:
    """Every step of the rectification orders: issued, submitted, returned, closed."""
    orders = Rectification.objects.visible_to(user).filter(operator=operator)
    steps = RectificationStep.objects.filter(rectification__in=orders).select_related("by").order_by("-at", "-id")
    labels = {
        RectificationStatus.OPEN: _("Rectification ordered"),
        RectificationStatus.SUBMITTED: _("Fix reported by the business"),
        RectificationStatus.RETURNED: _("Fix returned to the business"),
        RectificationStatus.CLOSED: _("Rectification verified and closed"),
    }
    for step in steps.iterator(chunk_size=50):
        yield TimelineEvent(
            at=step.at,
            kind=f"rectification.{step.status}",
            title=str(labels[step.status]),
            detail=" · ".join(p for p in (step.note, str(step.by)) if p),
            url=reverse("rectification-detail", args=[step.rectification_id]),
            icon="↻",
            colour="orange" if step.status == RectificationStatus.RETURNED else "blue",
        )
