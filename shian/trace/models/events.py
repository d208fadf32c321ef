from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager

from ..choices import Action, EventKind, ItemRole


class TraceEvent(models.Model):
    """A critical tracking event as GS1 EPCIS 2.0 records it: what (its items), when, where (read point and
    business location), why (CBV business step and disposition), who (source and destination) and the business
    documents. Standard CBV values are kept by their short names ("receiving"); `extra` holds the fields kept
    only for a faithful export (ILMD, sensor data, extensions …)."""

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices, blank=True)
    event_time = models.DateTimeField(_("event time"))
    time_zone = models.CharField(_("time zone offset"), max_length=6)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    biz_step = models.CharField(_("business step"), max_length=120, blank=True)
    disposition = models.CharField(_("disposition"), max_length=120, blank=True)
    read_point = models.ForeignKey(
        "trace.Location",
        verbose_name=_("read point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    biz_location = models.ForeignKey(
        "trace.Location",
        verbose_name=_("business location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    source = models.ForeignKey(
        "trace.Location",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    destination = models.ForeignKey(
        "trace.Location",
        verbose_name=_("destination"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    sources = models.JSONField(_("sources"), default=list, blank=True)
    destinations = models.JSONField(_("destinations"), default=list, blank=True)
    documents = models.JSONField(_("business documents"), default=list, blank=True)
    transformation_id = models.CharField(_("transformation id"), max_length=255, blank=True)
    error_declaration = models.JSONField(_("error declaration"), null=True, blank=True)
    extra = models.JSONField(_("other fields"), null=True, blank=True)
    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("business"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trace_events",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    objects = ScopedManager()
    scope = Scope(region="region", operator="operator")

    class Meta:
        verbose_name = _("trace event")
        verbose_name_plural = _("trace events")
        indexes = [models.Index(fields=["event_time"], name="trace_event_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.biz_step} {self.event_time:%Y-%m-%d %H:%M}"


class EventItem(models.Model):
    """One object in an event's "what": a lot by quantity, or a coded pack or container (with its lot when
    known). A container's contents are recorded as `contained` items, so a trace follows lots alone."""

    event = models.ForeignKey(TraceEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="items")
    role = models.CharField(_("role"), max_length=10, choices=ItemRole.choices)
    lot = models.ForeignKey(
        "trace.Lot",
        verbose_name=_("lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    code = models.ForeignKey(
        "trace.TraceCode",
        verbose_name=_("trace code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=6, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("event item")
        verbose_name_plural = _("event items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lot__isnull=False) | models.Q(code__isnull=False), name="trace_item_has_object"
            )
        ]
        indexes = [
            models.Index(fields=["lot", "event"], condition=models.Q(lot__isnull=False), name="trace_item_lot_event")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.lot_id or ''}{self.code_id or ''} {self.quantity or ''}{self.unit}"


class LotLink(models.Model):
    """An edge of the lot graph: `source` went into `target` (a transformation's input and output, or a
    re-packing). Traces walk these edges with one recursive query."""

    source = models.ForeignKey(
        "trace.Lot", verbose_name=_("from lot"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    target = models.ForeignKey(
        "trace.Lot", verbose_name=_("into lot"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    event = models.ForeignKey(TraceEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("lot link")
        verbose_name_plural = _("lot links")
        indexes = [
            models.Index(fields=["source", "target"], name="trace_link_forward"),
            models.Index(fields=["target", "source"], name="trace_link_backward"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"
