import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedQuerySet

from ..choices import Audience, ExamKind, SpotResult


class ExamQuerySet(ScopedQuerySet):
    def spot(self) -> "ExamQuerySet":
        return self.filter(kind=ExamKind.SPOT)

    def submitted(self) -> "ExamQuerySet":
        return self.filter(submitted_at__isnull=False)

    def unsubmitted(self) -> "ExamQuerySet":
        return self.filter(submitted_at__isnull=True)

    def pending(self, today: datetime.date) -> "ExamQuerySet":
        """Not submitted and still open: no due date, or not past it."""
        return self.unsubmitted().filter(models.Q(due_on__isnull=True) | models.Q(due_on__gte=today))

    def missed(self, today: datetime.date) -> "ExamQuerySet":
        """Spot tests not taken by their due date (derived, never stored)."""
        return self.spot().unsubmitted().filter(due_on__lt=today)

    def with_result(self, result: str, today: datetime.date) -> "ExamQuerySet":
        """Exams whose result (SpotResult) is `result` on day `today`."""
        if result == SpotResult.PASSED:
            return self.filter(passed=True)
        if result == SpotResult.FAILED:
            return self.filter(passed=False)
        if result == SpotResult.MISSED:
            return self.missed(today)
        if result == SpotResult.PENDING:
            return self.pending(today)
        return self


class Exam(models.Model):
    """One test of a food-safety director or officer: a practice run, the business's own assessment (企业考核),
    or a bureau's random spot test (监督抽查考核; Food Safety Law art. 44, regulations.md §3). The questions are
    drawn from the bank when it is created, reproducibly from `seed`; once submitted it is fixed. A spot test is
    assigned by a regulator for a person on the business's staff, taken by a business user of that business before
    its due date, and published on the business's public page when submitted. "Missed" is derived from the due
    date, never stored."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="exams"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exams",
        help_text=_("The business user who takes the exam (a spot test: recorded when they start it)."),
    )
    staff = models.ForeignKey(
        "registry.Staff",
        verbose_name=_("person tested"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exams",
    )
    audience = models.CharField(_("role"), max_length=12, choices=Audience.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=ExamKind.choices)
    questions = models.JSONField(_("questions"), default=list, help_text=_("question ids, in order"))
    seed = models.CharField(_("draw seed"), max_length=32)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    record = models.OneToOneField(
        "registry.TrainingRecord",
        verbose_name=_("training record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exam",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope = Scope(region="operator__region", operator="operator")
    objects = ExamQuerySet.as_manager()

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["-created_at", "-pk"]
        permissions = [("assign_spot_test", _("Can assign spot tests"))]
        indexes = [
            models.Index(fields=["operator", "kind"], name="training_exam_operator_kind"),
            models.Index(fields=["staff", "kind"], name="training_exam_staff_kind"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ExamKind.values), name="training_exam_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(audience__in=Audience.values), name="training_exam_audience_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ExamKind.SPOT) | models.Q(staff__isnull=False, due_on__isnull=False),
                name="training_exam_spot_has_person_and_due_date",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ExamKind.SPOT) | models.Q(user__isnull=False),
                name="training_exam_taker_known",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100), name="training_exam_score_range"
            ),
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True, score__isnull=True, passed__isnull=True)
                | models.Q(submitted_at__isnull=False, score__isnull=False, passed__isnull=False),
                name="training_exam_scored_when_submitted",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | models.Q(kind=ExamKind.SPOT, submitted_at__isnull=False),
                name="training_exam_published_spot_results_only",
            ),
        ]

    def __str__(self) -> str:
        who = self.staff.name if self.staff_id else (self.user.display_name if self.user_id else "")
        return f"{self.get_kind_display()} · {self.get_audience_display()} · {who}".rstrip(" ·")

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_spot(self) -> bool:
        return self.kind == ExamKind.SPOT

    def is_missed(self, today: datetime.date) -> bool:
        return self.is_spot and not self.is_submitted and self.due_on is not None and self.due_on < today

    def result(self, today: datetime.date) -> str:
        """Passed, failed, missed (a spot test past its due date) or waiting."""
        if self.is_submitted:
            return SpotResult.PASSED if self.passed else SpotResult.FAILED
        return SpotResult.MISSED if self.is_missed(today) else SpotResult.PENDING

    @property
    def current_result(self) -> str:
        """`result` as of today (for templates)."""
        return self.result(timezone.localdate())

    def decided_on(self) -> datetime.date | None:
        """The day the result was settled: submitted, or (missed) the due date; None while waiting."""
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at)
        return self.due_on

    def is_open(self, today: datetime.date) -> bool:
        """Whether it can still be answered: not submitted, and not past a due date."""
        return not self.is_submitted and (self.due_on is None or self.due_on >= today)
