import functools
import tomllib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.fields import JsonTextField
from shian.core.models import Scope, ScopedManager, ScopedQuerySet

from .choices import Grade, GradeBasis, RegradeStatus
from .ruleset import RuleSetSpec, parse_ruleset


class RuleSetQuerySet(models.QuerySet):
    def effective(self, on):
        return self.filter(effective_from__lte=on)


class RuleSet(models.Model):
    """One version of a jurisdiction's risk-grading scheme, loaded from its file (`shian risk load FILE`). The
    file's content is kept as loaded, with its SHA-256; grades point at the version that made them."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=6, blank=True, help_text=_("Region code it applies in; empty: the whole country.")
    )
    effective_from = models.DateField(_("effective from"))
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=1)
    content = models.TextField(_("file content"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk rule-set")
        verbose_name_plural = _("risk rule-sets")
        ordering = ["jurisdiction", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="risk_ruleset_code_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @functools.cached_property
    def spec(self) -> RuleSetSpec:
        return parse_ruleset(tomllib.loads(self.content))


class RiskFact(models.Model):
    """A fact a rule-set's static table reads that the registry does not keep (a health-food producer's main
    ingredient, a caterer's kinds of food …), recorded by a regulator on the operator's risk page."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="risk_facts"
    )
    key = models.CharField(_("fact"), max_length=64)
    value = models.JSONField(_("value"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(region="operator__region", operator="operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("risk fact")
        verbose_name_plural = _("risk facts")
        constraints = [models.UniqueConstraint(fields=["operator", "key"], name="risk_fact_unique")]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class RiskGradeQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(is_current=True)


class RiskGrade(models.Model):
    """A risk grade (A–D) given to an operator: its scores, the rule-set version, every point with its basis,
    and how it was set (computed, or by hand with a reason). The newest is current; the older ones are the
    operator's grade history. A new grade is written only when the result changes. Written a province at a time
    by the bulk regrade from ids read in the same statement: its references are kept by the ORM's on_delete,
    without database foreign keys that would check every row again at commit (as `PlanTarget`)."""

    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("food business"),
        on_delete=models.CASCADE,
        related_name="risk_grades",
        db_index=False,  # risk_grade_history_idx starts with it
        db_constraint=False,
    )
    ruleset = models.ForeignKey(  # a handful of rule-sets over millions of grades: an index would serve no lookup
        RuleSet,
        verbose_name=_("rule-set"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    graded_at = models.DateTimeField(_("graded at"))
    static_score = models.DecimalField(_("static score"), max_digits=5, decimal_places=1)
    dynamic_score = models.DecimalField(_("dynamic score"), max_digits=5, decimal_places=1)
    credit_score = models.DecimalField(_("credit score"), max_digits=5, decimal_places=1)
    total_score = models.DecimalField(_("total score"), max_digits=5, decimal_places=1)
    score_grade = models.CharField(_("grade by score"), max_length=1, choices=Grade.choices)
    computed_grade = models.CharField(_("computed grade"), max_length=1, choices=Grade.choices)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    basis = models.CharField(_("basis"), max_length=8, choices=GradeBasis.choices, default=GradeBasis.COMPUTED)
    reason = models.TextField(_("reason"), blank=True)
    table = models.CharField(_("static table"), max_length=64, blank=True)
    points = JsonTextField(_("points"), default=list)
    is_current = models.BooleanField(_("current"), default=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a bulk run's million grades name one grader; no page lists grades by grader
    )
    run = models.ForeignKey(
        "risk.RegradeRun",
        verbose_name=_("regrade run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grades",
        db_index=False,
        db_constraint=False,
    )

    scope = Scope(region="operator__region", operator="operator")
    objects = RiskGradeQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk grade")
        verbose_name_plural = _("risk grades")
        ordering = ["operator_id", "-graded_at", "-id"]
        permissions = [("override_grade", _("Can set a risk grade by hand"))]
        indexes = [models.Index(fields=["operator", "-graded_at"], name="risk_grade_history_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["operator"], condition=models.Q(is_current=True), name="risk_grade_one_current"
            ),
            models.CheckConstraint(condition=models.Q(grade__in=Grade.values), name="risk_grade_grade_valid"),
            models.CheckConstraint(
                condition=models.Q(basis=GradeBasis.COMPUTED) | ~models.Q(reason=""),
                name="risk_grade_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator_id}: {self.grade}"

    @property
    def is_override(self) -> bool:
        return self.basis == GradeBasis.OVERRIDE

    def points_of(self, part: str) -> list[dict]:
        return [p for p in self.points if p["part"] == part]


class RegradeRun(models.Model):
    """A bulk regrade (`shian risk regrade`, or a job started from the UI) of a region's operators."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=RegradeStatus.choices, default=RegradeStatus.QUEUED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    scope = Scope(region="region")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("regrade run")
        verbose_name_plural = _("regrade runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_id or '*'} {self.created_at:%Y-%m-%d %H:%M}"
