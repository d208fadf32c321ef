from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedQuerySet

from ..choices import Frequency, ListStatus, RecordsOn, RiskLevel


class RiskControlListQuerySet(ScopedQuerySet):
    def templates(self):
        """The shipped templates per sector (no business owns them; everyone may read them)."""
        return self.filter(operator__isnull=True)

    def in_force(self):
        return self.filter(status=ListStatus.IN_FORCE)


class RiskControlList(models.Model):
    """A 食品安全风险管控清单 (SAMR Order 60, regulations.md §3): a sector's template (no operator) or one business's
    own list, copied from a template and adapted. Versioned: a revision is a new version, and the daily checks
    keep pointing at the version they were made against."""

    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("food business"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="risk_control_lists",
    )
    code = models.CharField(_("template"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=ListStatus.choices, default=ListStatus.DRAFT)
    records_on = models.CharField(
        _("daily records kept on"), max_length=12, choices=RecordsOn.choices, default=RecordsOn.EVERY_DAY
    )
    applies_to = models.JSONField(_("business formats"), default=list, blank=True)
    canteen_kinds = models.JSONField(_("canteen kinds"), default=list, blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(region="operator__region", operator="operator")
    objects = RiskControlListQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk-control list")
        verbose_name_plural = _("risk-control lists")
        ordering = ["operator_id", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], condition=models.Q(operator__isnull=True), name="duty_template_version"
            ),
            models.UniqueConstraint(
                fields=["operator", "version"],
                condition=models.Q(operator__isnull=False),
                name="duty_list_version_per_operator",
            ),
            models.UniqueConstraint(
                fields=["operator"],
                condition=models.Q(status=ListStatus.IN_FORCE, operator__isnull=False),
                name="duty_list_one_in_force",
            ),
            models.CheckConstraint(condition=models.Q(status__in=ListStatus.values), name="duty_list_status_valid"),
            models.CheckConstraint(
                condition=models.Q(records_on__in=RecordsOn.values), name="duty_list_records_on_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_template(self) -> bool:
        return self.operator_id is None


class RiskPoint(models.Model):
    """One row of a risk-control list: stage, risk point, hazard, level, control measure, owner, frequency, and the
    yes/no question the daily check asks about it."""

    control_list = models.ForeignKey(
        RiskControlList, verbose_name=_("risk-control list"), on_delete=models.CASCADE, related_name="points"
    )
    number = models.CharField(_("number"), max_length=16)
    order = models.PositiveIntegerField(_("order"))
    stage = models.CharField(_("stage"), max_length=64)
    risk = models.CharField(_("risk point"), max_length=255)
    hazard = models.TextField(_("hazard"), blank=True)
    level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    measure = models.TextField(_("control measure"))
    owner = models.CharField(_("responsible"), max_length=64)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    photo = models.BooleanField(_("a problem needs a photo"), default=False)
    question = models.CharField(_("daily check question"), max_length=255)

    class Meta:
        verbose_name = _("risk point")
        verbose_name_plural = _("risk points")
        ordering = ["control_list_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["control_list", "number"], name="duty_point_number_unique"),
            models.CheckConstraint(condition=models.Q(level__in=RiskLevel.values), name="duty_point_level_valid"),
            models.CheckConstraint(
                condition=models.Q(frequency__in=Frequency.values), name="duty_point_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.risk}"
