from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager, ScopedQuerySet
from shian.inspection.choices import Outcome


class SelfInspectionQuerySet(ScopedQuerySet):
    def finished(self):
        return self.filter(finished_at__isnull=False)


class SelfInspection(models.Model):
    """企业自查: a business inspecting itself against its sector's supervision checklist (the one inspectors use),
    visible to its regulators; a problem it finds can open its own rectification order."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="self_inspections"
    )
    template = models.ForeignKey(
        "inspection.ChecklistTemplate", verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspected by"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    problems = models.PositiveSmallIntegerField(_("problems found"), default=0)
    summary = models.TextField(_("summary"), blank=True)

    scope = Scope(region="operator__region", operator="operator")
    objects = SelfInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-inspection")
        verbose_name_plural = _("self-inspections")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.operator} {self.started_at:%Y-%m-%d}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class SelfInspectionAnswer(models.Model):
    """The business's answer to one checklist item."""

    self_inspection = models.ForeignKey(
        SelfInspection, verbose_name=_("self-inspection"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        "inspection.ChecklistItem", verbose_name=_("checklist item"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices, blank=True)
    note = models.CharField(_("what was found"), max_length=500, blank=True)

    scope = Scope(region="self_inspection__operator__region", operator="self_inspection__operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("self-inspection answer")
        verbose_name_plural = _("self-inspection answers")
        ordering = ["self_inspection_id", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["self_inspection", "item"], name="duty_self_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.self_inspection_id} {self.item.code}"
