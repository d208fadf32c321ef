from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager

from ..choices import ControlKind, ControlSource, ControlStatus, HolderStatus


class ControlOrder(models.Model):
    """An order to control suspect lots at every holder within a deadline (24 hours from opening, regulations.md
    §5), from a failed sample, an outside alert or a finding; or a producer's recall of its own lots, tracked
    the same way. Its holders come from the forward trace of its lots when it is opened."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=ControlKind.choices, default=ControlKind.CONTROL)
    source = models.CharField(_("reason for suspicion"), max_length=16, choices=ControlSource.choices)
    reason = models.TextField(_("what is wrong"))
    lots = models.ManyToManyField("trace.Lot", verbose_name=_("suspect lots"), related_name="control_orders")
    sample = models.ForeignKey(
        "sampling.Sample",
        verbose_name=_("failed sample"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="control_orders",
    )
    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    producer = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("recalling producer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recalls",
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("every holder controlled by"))
    status = models.CharField(_("status"), max_length=8, choices=ControlStatus.choices, default=ControlStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closing_note = models.TextField(_("closing note"), blank=True)

    objects = ScopedManager()
    scope = Scope(region="region", operator="holders__operator", concerns=("producer",))

    class Meta:
        verbose_name = _("control order")
        verbose_name_plural = _("control orders")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.number


class ControlHolder(models.Model):
    """One holder of one suspect lot under a control order: what the trace says it holds (or has on the way),
        whether it acknowledged, and what it reports sealed, returned and destroyed (its 五定 photos are evidence
    uploaded for it)."""

    order = models.ForeignKey(
        ControlOrder, verbose_name=_("control order"), on_delete=models.CASCADE, related_name="holders"
    )
    location = models.ForeignKey(
        "trace.Location", verbose_name=_("holder"), on_delete=models.PROTECT, related_name="control_holdings"
    )
    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("business"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="control_holdings",
    )
    lot = models.ForeignKey("trace.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="+")
    expected = models.DecimalField(_("quantity held by the trace"), max_digits=18, decimal_places=6, null=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    in_transit = models.BooleanField(_("on its way to the holder"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=HolderStatus.choices, default=HolderStatus.NOTIFIED)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sealed = models.DecimalField(_("sealed"), max_digits=18, decimal_places=6, default=0)
    returned = models.DecimalField(_("returned to the supplier"), max_digits=18, decimal_places=6, default=0)
    destroyed = models.DecimalField(_("destroyed"), max_digits=18, decimal_places=6, default=0)
    sold = models.DecimalField(_("sold or used before the order"), max_digits=18, decimal_places=6, default=0)
    note = models.TextField(_("note"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    scope = Scope(region="order__region", operator="operator")

    class Meta:
        verbose_name = _("holder under control")
        verbose_name_plural = _("holders under control")
        constraints = [
            models.UniqueConstraint(fields=["order", "location", "lot"], name="trace_holder_once_per_order_lot")
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.location}"

    @property
    def accounted(self):
        """What the holder has accounted for (sealed, returned, destroyed, or gone before the order)."""
        return self.sealed + self.returned + self.destroyed + self.sold

    @property
    def unaccounted(self):
        """What the trace says it holds that its report does not cover (None when the trace gives no quantity)."""
        if self.expected is None:
            return None
        return max(self.expected - self.accounted, 0)
