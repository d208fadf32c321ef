"""The three records of the Order 60 risk mechanism (日管控、周排查、月调度, regulations.md §3). A record is written
as a draft and signed; once signed it is fixed (audited and entered in the ledger)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager, ScopedQuerySet

from ..choices import Assessment, LogKind, ProblemStatus


class SignedQuerySet(ScopedQuerySet):
    def signed(self):
        return self.filter(signed_at__isnull=False)


class DailyCheck(models.Model):
    """每日食品安全检查记录: the officer's check of the day against the business's risk-control list, item by item.
    A day with no problem is still recorded, as a zero-risk record (零风险报告)."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="daily_checks"
    )
    day = models.DateField(_("date"))
    control_list = models.ForeignKey(
        "duty.RiskControlList", verbose_name=_("risk-control list"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspected by"), on_delete=models.PROTECT, related_name="+"
    )
    inspector_role = models.CharField(_("inspector's role"), max_length=12, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    problems = models.PositiveSmallIntegerField(_("problems found"), default=0)
    source = models.CharField(_("source"), max_length=8, default="web")

    scope = Scope(region="operator__region", operator="operator")
    objects = SignedQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily check")
        verbose_name_plural = _("daily checks")
        ordering = ["-day", "operator_id"]
        constraints = [models.UniqueConstraint(fields=["operator", "day"], name="duty_daily_check_one_a_day")]

    def __str__(self) -> str:
        return f"{self.operator} {self.day}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def zero_risk(self) -> bool:
        return self.is_signed and self.problems == 0


class DailyCheckLine(models.Model):
    """One item of a daily check: 是/否, the main problem found and what was done about it."""

    daily_check = models.ForeignKey(
        DailyCheck, verbose_name=_("daily check"), on_delete=models.CASCADE, related_name="lines"
    )
    point = models.ForeignKey(
        "duty.RiskPoint", verbose_name=_("risk point"), on_delete=models.PROTECT, related_name="+"
    )
    ok = models.BooleanField(_("as it should be"), null=True, blank=True)
    problem = models.CharField(_("problem found"), max_length=500, blank=True)
    action = models.CharField(_("action taken"), max_length=500, blank=True)

    scope = Scope(region="daily_check__operator__region", operator="daily_check__operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("daily check item")
        verbose_name_plural = _("daily check items")
        ordering = ["daily_check_id", "point__order"]
        constraints = [models.UniqueConstraint(fields=["daily_check", "point"], name="duty_daily_line_unique")]

    def __str__(self) -> str:
        return f"{self.daily_check} {self.point.number}"


class WeeklyReview(models.Model):
    """每周食品安全排查治理报告: the week's problems (from the daily checks, last week's open ones followed up), the
    rectification lines and the three-level assessment, signed by the director or an officer."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="weekly_reviews"
    )
    week = models.DateField(_("week starting"))
    recipient = models.CharField(_("to"), max_length=128, blank=True)
    copy_to = models.CharField(_("copy to"), max_length=128, blank=True)
    analysis = models.TextField(_("analysis of the week"), blank=True)
    assessment = models.CharField(_("assessment"), max_length=12, choices=Assessment.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reporter_role = models.CharField(_("reporter's role"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    scope = Scope(region="operator__region", operator="operator")
    objects = SignedQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly review")
        verbose_name_plural = _("weekly reviews")
        ordering = ["-week", "operator_id"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "week"], name="duty_weekly_review_one_a_week"),
            models.CheckConstraint(
                condition=models.Q(assessment="") | models.Q(assessment__in=Assessment.values),
                name="duty_weekly_assessment_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.week}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class WeeklyProblem(models.Model):
    """A problem of the week and its rectification line: the risk point it concerns, where it was found (a daily
    check, or carried over from last week's report), who fixes it by when, and whether it is fixed."""

    review = models.ForeignKey(
        WeeklyReview, verbose_name=_("weekly review"), on_delete=models.CASCADE, related_name="problems"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    point = models.ForeignKey(
        "duty.RiskPoint",
        verbose_name=_("risk point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    point_number = models.CharField(_("risk point number"), max_length=16, blank=True)
    description = models.CharField(_("problem"), max_length=500)
    found_on = models.DateField(_("found on"), null=True, blank=True)
    daily_line = models.ForeignKey(
        DailyCheckLine,
        verbose_name=_("daily check item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    carried_from = models.ForeignKey(
        "self", verbose_name=_("carried over from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    measure = models.CharField(_("rectification measure"), max_length=500, blank=True)
    owner = models.CharField(_("responsible"), max_length=64, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)

    scope = Scope(region="review__operator__region", operator="review__operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("weekly problem")
        verbose_name_plural = _("weekly problems")
        ordering = ["review_id", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ProblemStatus.values), name="duty_problem_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ProblemStatus.OPEN) | models.Q(fixed_on__isnull=False),
                name="duty_problem_fixed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class MonthlyMeeting(models.Model):
    """每月食品安全调度会议纪要: the main person in charge hears the director's report on the month and plans the
    next (time, place, chair, attendees, report, hazards and their rectification, open issues, decisions)."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="monthly_meetings"
    )
    month = models.DateField(_("month"), help_text=_("Its first day."))
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=128)
    chair = models.CharField(_("chair"), max_length=64)
    attendees = models.CharField(_("attendees"), max_length=500)
    director_report = models.TextField(_("the director's report"))
    hazards = models.TextField(_("hazards found and their rectification"), blank=True)
    open_issues = models.TextField(_("open issues"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    recorder = models.CharField(_("minutes taken by"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    scope = Scope(region="operator__region", operator="operator")
    objects = SignedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly meeting")
        verbose_name_plural = _("monthly meetings")
        ordering = ["-month", "operator_id"]
        constraints = [models.UniqueConstraint(fields=["operator", "month"], name="duty_monthly_meeting_one_a_month")]

    def __str__(self) -> str:
        return f"{self.operator} {self.month:%Y-%m}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class MeetingPriority(models.Model):
    """One of next month's scheduled priorities, with its owner and deadline."""

    meeting = models.ForeignKey(
        MonthlyMeeting, verbose_name=_("monthly meeting"), on_delete=models.CASCADE, related_name="priorities"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("priority"), max_length=500)
    owner = models.CharField(_("responsible"), max_length=64)
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("next month's priority")
        verbose_name_plural = _("next month's priorities")
        ordering = ["meeting_id", "order"]

    def __str__(self) -> str:
        return self.text


class LogEntry(models.Model):
    """One entry of a daily operational record (台账): a worker's morning health check, a retained food sample,
    a disinfection run, an accompanied meal, waste or used oil handed over, an additive used, a published menu.
    Written from the web or pushed by a device (morning-check kiosk, sample or disinfection cabinet)."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="log_entries"
    )
    kind = models.CharField(_("record"), max_length=20, choices=LogKind.choices)
    day = models.DateField(_("date"))
    at = models.DateTimeField(_("time"))
    data = models.JSONField(_("entry"), default=dict)
    staff = models.ForeignKey(
        "registry.Staff", verbose_name=_("worker"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    findings = models.JSONField(_("findings"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=8, default="web")
    device = models.CharField(_("device"), max_length=64, blank=True)

    scope = Scope(region="operator__region", operator="operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("operational record entry")
        verbose_name_plural = _("operational record entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["operator", "day", "kind"], name="duty_log_operator_day_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=LogKind.values), name="duty_log_kind_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"
