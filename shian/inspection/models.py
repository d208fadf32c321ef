import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager, ScopedQuerySet

from .choices import (
    DrawKind,
    InspectionKind,
    InspectionStatus,
    Outcome,
    PlanStatus,
    RectificationKind,
    RectificationStatus,
    Result,
    Sector,
)


class ChecklistTemplate(models.Model):
    """One version of an inspection checklist (监督检查要点表) for a sector, built on Order 49's checkpoints.
    Shipped versions are national (empty jurisdiction); a province or city edits its own copy, which then
    applies within its region."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    jurisdiction = models.CharField(_("jurisdiction"), max_length=6, blank=True)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    categories = models.JSONField(_("business formats"), default=list)
    special_foods = models.JSONField(_("special foods"), default=list, blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, default="R")
    notes = models.TextField(_("notes"), blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["sector", "jurisdiction", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "jurisdiction", "version"], name="inspection_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ChecklistItem(models.Model):
    """A checkpoint of a template: key (重点) or general (一般) item, with its weight in the dynamic risk score."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="items"
    )
    section_code = models.CharField(_("section"), max_length=8)
    section_title = models.CharField(_("section title"), max_length=100)
    article = models.CharField(_("article of Order 49"), max_length=64, blank=True)
    code = models.CharField(_("item"), max_length=16)
    text = models.TextField(_("checkpoint"))
    key = models.BooleanField(_("key item"), default=False)
    points = models.DecimalField(_("risk points"), max_digits=4, decimal_places=1)
    evidence_expected = models.BooleanField(_("photo expected when failed"), default=False)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template_id", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="inspection_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"


class InspectionPlan(models.Model):
    """A region's annual inspection plan (Order 49 art. 21 [V]): every operator's required inspections from
    its grade, the two-year full-inspection rule and key targets; the draws that pick targets and inspectors."""

    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    scope = Scope(region="region")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="inspection_plan_region_year")]

    def __str__(self) -> str:
        return self.title


class Draw(models.Model):
    """A random draw (双随机) with everything needed to repeat it: the seed, the pool in the order drawn from,
    the parameters and the result. Published draws are shown to the public (一公开)."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="draws")
    kind = models.CharField(_("kind"), max_length=12, choices=DrawKind.choices)
    seed = models.CharField(_("seed"), max_length=64)
    pool = models.JSONField(_("pool"))
    parameters = models.JSONField(_("parameters"), default=dict)
    result = models.JSONField(_("result"))
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("random draw")
        verbose_name_plural = _("random draws")
        ordering = ["plan_id", "drawn_at"]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_kind_display()} {self.seed}"


class PlanTarget(models.Model):
    """An operator in a plan: how many inspections it needs this year and why, whether it was drawn, and the
    pair of inspectors drawn for it. Written a city or province at a time (benchmarks/plan.py) from ids read in
    the same transaction: its references to the business and the inspectors are kept by the ORM's on_delete,
    without database foreign keys that would check every row again at commit."""

    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="targets",
        db_index=False,  # inspection_target_unique starts with it
    )
    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("food business"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    grade = models.CharField(_("risk grade"), max_length=1, blank=True)
    required = models.PositiveSmallIntegerField(_("inspections required"))
    full_due = models.BooleanField(_("full inspection due (two-year rule)"), default=False)
    key_target = models.BooleanField(_("key target"), default=False)
    reasons = models.JSONField(_("reasons"), default=list)
    drawn = models.BooleanField(_("drawn"), default=True)

    scope = Scope(region="operator__region", operator="operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["plan_id", "operator_id"]
        constraints = [models.UniqueConstraint(fields=["plan", "operator"], name="inspection_target_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.operator_id}"


class TargetPair(models.Model):
    """The two inspectors the latest inspector draw gave a plan target (双随机). Kept apart from the target so
    that a draw writes a city's pairs as new rows rather than rewriting every target; a new draw replaces
    them."""

    target = models.OneToOneField(
        PlanTarget,
        verbose_name=_("plan target"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="pair",
        db_constraint=False,  # written from the targets read in the same transaction, as PlanTarget's references
    )
    inspector_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    inspector_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second inspector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )

    scope = Scope(region="target__operator__region", operator="target__operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("drawn pair")
        verbose_name_plural = _("drawn pairs")

    def __str__(self) -> str:
        return f"{self.target_id}: {self.inspector_1_id}, {self.inspector_2_id}"


class InspectionQuerySet(ScopedQuerySet):
    def finished(self):
        return self.filter(status=InspectionStatus.FINISHED)

    def unpublished(self):
        return self.finished().filter(published_at__isnull=True)


class Inspection(models.Model):
    """A supervision inspection of one operator by at least two inspectors (Order 49 art. 23 [V]): each
    checklist item answered, the result (derived, or overridden with a reason), the operator's signature or
    its recorded refusal with a witness (art. 34 [V]), and publication (art. 39 [V])."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices, default=InspectionKind.ROUTINE)
    target = models.ForeignKey(
        PlanTarget,
        verbose_name=_("plan target"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="+")
    full = models.BooleanField(_("covers every checkpoint"), default=True)
    is_lead = models.BooleanField(
        _("follows a lead"), default=False, help_text=_("A suspected violation or clear hazard (Order 49 art. 42).")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    derived_result = models.CharField(_("result by the checklist"), max_length=12, choices=Result.choices, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    result_reason = models.TextField(_("reason for a different result"), blank=True)
    failed_points = models.DecimalField(_("points of failed items"), max_digits=6, decimal_places=1, default=0)
    applicable_points = models.DecimalField(_("points of applicable items"), max_digits=6, decimal_places=1, default=0)
    signed_by = models.CharField(_("signed by"), max_length=64, blank=True)
    signature = models.TextField(_("signature (image data)"), blank=True)
    refused = models.BooleanField(_("refused to sign"), default=False)
    witness = models.CharField(_("witness"), max_length=128, blank=True)
    for_case = models.BooleanField(_("marked for a case"), default=False)
    stop_order = models.BooleanField(_("ordered to stop"), default=False)
    stop_order_note = models.TextField(_("stop order"), blank=True)
    obstructed = models.BooleanField(_("inspection refused or obstructed"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    publish_by = models.DateField(_("publish by"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(region="operator__region", operator="operator")
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-started_at", "-id"]
        permissions = [("publish_inspection", _("Can publish inspection results"))]
        indexes = [
            models.Index(fields=["operator", "-finished_at", "-id"], name="inspection_newest_idx"),
            models.Index(fields=["status", "publish_by"], name="inspection_publish_idx"),
            # what risk grading reads (risk_sources), from the index alone: each operator's latest full inspection,
            models.Index(
                fields=["operator", "-finished_at", "-id"],
                include=["failed_points", "applicable_points", "derived_result"],
                condition=models.Q(full=True, status=InspectionStatus.FINISHED),
                name="inspection_latest_full_idx",
            ),
            # and the few inspections that move a grade
            models.Index(
                fields=["operator", "finished_at"],
                include=["id", "result", "obstructed", "stop_order"],
                condition=models.Q(status=InspectionStatus.FINISHED)
                & (models.Q(result=Result.NONCOMPLIANT) | models.Q(obstructed=True) | models.Q(stop_order=True)),
                name="inspection_risk_event_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=InspectionStatus.FINISHED) | ~models.Q(result=""),
                name="inspection_finished_has_result",
            ),
            models.CheckConstraint(
                condition=models.Q(result="")
                | models.Q(result=models.F("derived_result"))
                | ~models.Q(result_reason=""),
                name="inspection_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.started_at:%Y-%m-%d}"

    @property
    def is_finished(self) -> bool:
        return self.status == InspectionStatus.FINISHED

    def publication_overdue(self, today: datetime.date) -> bool:
        return (
            self.is_finished and self.published_at is None and self.publish_by is not None and self.publish_by < today
        )


class ItemResult(models.Model):
    """The answer to one checklist item in an inspection, with a note; photos are evidence whose subject is
    this answer. A failed general item may be judged to affect food safety (Order 49 art. 33 ¶3 [V])."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=3, choices=Outcome.choices, blank=True)
    affects_safety = models.BooleanField(_("affects food safety"), default=False)
    note = models.TextField(_("note"), blank=True)

    scope = Scope(region="inspection__operator__region", operator="inspection__operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["inspection_id", "item__order"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="inspection_answer_unique")]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.outcome or '-'}"


class RectificationQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=RectificationStatus.CLOSED)

    def overdue(self, today: datetime.date):
        """Open orders past their deadline: derived from the deadline, never stored (DESIGN.md §3)."""
        return self.open().filter(kind=RectificationKind.DEADLINE, deadline__lt=today)


class Rectification(models.Model):
    """An order to fix what an inspection found (整改, Order 49 art. 33 [V]): fixed on the spot with evidence,
    or by a deadline in working days, the business submitting 五定 evidence and the inspector verifying. A business
    may open one itself for a problem its self-inspection found: the same loop, the county's inspectors verifying."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    self_inspection = models.ForeignKey(
        "duty.SelfInspection",
        verbose_name=_("self-inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.PROTECT, related_name="rectifications"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RectificationKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    answers = models.ManyToManyField(ItemResult, verbose_name=_("items to fix"), related_name="rectifications")
    requirement = models.TextField(_("what must be fixed"))
    working_days = models.PositiveSmallIntegerField(_("working days allowed"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(_("the business's report"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verdict_reason = models.TextField(_("reason of the last verdict"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(region="operator__region", operator="operator")
    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["-issued_at", "-id"]
        permissions = [("submit_rectification", _("Can report a fix with evidence"))]
        indexes = [models.Index(fields=["status", "deadline"], name="inspection_rect_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=RectificationKind.DEADLINE) | models.Q(deadline__isnull=False),
                name="inspection_rect_deadline_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(inspection__isnull=False, self_inspection__isnull=True)
                | models.Q(inspection__isnull=True, self_inspection__isnull=False),
                name="inspection_rect_one_origin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.issued_at:%Y-%m-%d}"

    def is_overdue(self, today: datetime.date) -> bool:
        return (
            self.kind == RectificationKind.DEADLINE
            and self.status != RectificationStatus.CLOSED
            and self.deadline is not None
            and self.deadline < today
        )

    def can_become(self, status: str) -> bool:
        return status in RectificationStatus.transitions()[self.status]


class RectificationStep(models.Model):
    """One step of an order's loop (issued, submitted, returned, closed), with who, when and why."""

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("rectification order"), on_delete=models.CASCADE, related_name="steps"
    )
    status = models.CharField(_("status"), max_length=12, choices=RectificationStatus.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("rectification step")
        verbose_name_plural = _("rectification steps")
        ordering = ["rectification_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.status}"


class Recusal(models.Model):
    """An inspector's declared conflict of interest with an operator: the draw never sends them there
    (Order 49 art. 23 [V])."""

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.CASCADE, related_name="recusals"
    )
    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=255)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    scope = Scope(region="operator__region", operator="operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["inspector", "operator"], name="inspection_recusal_unique")]

    def __str__(self) -> str:
        return f"{self.inspector} ≠ {self.operator}"
