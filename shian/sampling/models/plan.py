from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager
from shian.registry.choices import OperatorCategory

from ..choices import NominationStatus, PlanStatus, TaskStatus


class SamplingPlan(models.Model):
    """抽检计划 of a region for a year: the quota of batches from the region's resident population and the
    batches-per-1,000-residents figure in force (a KPI per level [R: regulations.md §2]), split over food
    categories and drawn over businesses, weighted by risk grade, past failures and public votes."""

    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    batches_per_thousand = models.DecimalField(_("batches per 1,000 residents"), max_digits=6, decimal_places=2)
    population = models.PositiveIntegerField(_("resident population"))
    quota = models.PositiveIntegerField(_("batches"))
    status = models.CharField(_("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    seed = models.CharField(_("draw seed"), max_length=32)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(region="region")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("sampling plan")
        verbose_name_plural = _("sampling plans")
        ordering = ["-year", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="sampling_plan_region_year")]

    def __str__(self) -> str:
        return self.title


class PlanQuota(models.Model):
    """A food category's share of a plan's batches, with the weights it was given."""

    plan = models.ForeignKey(SamplingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="quotas")
    category = models.ForeignKey(
        "sampling.FoodCategory", verbose_name=_("food category"), on_delete=models.PROTECT, related_name="+"
    )
    batches = models.PositiveIntegerField(_("batches"))
    weight = models.DecimalField(_("weight"), max_digits=10, decimal_places=3)
    failures = models.PositiveIntegerField(_("failures in the region, last three years"), default=0)
    votes = models.PositiveIntegerField(_("public votes"), default=0)

    class Meta:
        verbose_name = _("category quota")
        verbose_name_plural = _("category quotas")
        ordering = ["plan_id", "-batches"]
        constraints = [models.UniqueConstraint(fields=["plan", "category"], name="sampling_quota_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.category_id} {self.batches}"


class SamplingTask(models.Model):
    """One batch to sample: a business and a food, drawn for a plan, assigned to a sampling officer; done when
    its sample is recorded. Never shown to the business (sampling is unannounced)."""

    plan = models.ForeignKey(SamplingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "sampling.FoodCategory", verbose_name=_("food category"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sampling officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sampling_tasks",
    )
    status = models.CharField(_("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    weight = models.DecimalField(_("weight"), max_digits=10, decimal_places=3)
    reasons = models.JSONField(_("why drawn"), default=list)
    nomination = models.ForeignKey(
        "sampling.Nomination",
        verbose_name=_("public nomination"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    sample = models.OneToOneField(
        "sampling.Sample",
        verbose_name=_("sample"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="task",
    )

    scope = Scope(region="operator__region")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("sampling task")
        verbose_name_plural = _("sampling tasks")
        ordering = ["plan_id", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.operator_id} {self.category_id}"


class Nomination(models.Model):
    """你点我检: a food (and, if given, a kind of shop) the public asks to have tested in a region; its votes
    weigh on the region's next plan."""

    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        "sampling.FoodCategory", verbose_name=_("food"), on_delete=models.PROTECT, related_name="+"
    )
    shop_kind = models.CharField(_("kind of shop"), max_length=16, choices=OperatorCategory.choices, blank=True)
    note = models.CharField(_("why"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=NominationStatus.choices, default=NominationStatus.OPEN
    )
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)

    scope = Scope(region="region")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("public nomination")
        verbose_name_plural = _("public nominations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category", "shop_kind"],
                condition=models.Q(status="open"),
                name="sampling_nomination_open_unique",
            )
        ]

    def __str__(self) -> str:
        return str(self.category)


class PublicVote(models.Model):
    """One vote for a nomination: one per phone or device (`voter`, a keyed hash; the number is not kept)."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.CharField(_("voter (keyed hash)"), max_length=64)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public vote")
        verbose_name_plural = _("public votes")
        constraints = [models.UniqueConstraint(fields=["nomination", "voter"], name="sampling_vote_once")]

    def __str__(self) -> str:
        return f"{self.nomination_id}"
