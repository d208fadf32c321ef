import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.choices import RegionLevel
from shian.core.models import Scope, ScopedManager, ScopedQuerySet

from .choices import (
    CanteenKind,
    ImportJobStatus,
    LicenceKind,
    LicenceStatus,
    MembershipRole,
    OperatorCategory,
    OperatorScale,
    OperatorStatus,
    SpecialFood,
    StaffRole,
)
from .rules import check_credit_code, check_id_number, check_licence_number, licence_kind, mask_id_number


def new_public_id() -> str:
    """An unguessable id for the operator's QR code (URL-safe, 128 bits)."""
    return secrets.token_urlsafe(16)


def validate_credit_code(value: str) -> None:
    """Unified social credit code: format and check character are errors (warnings are shown elsewhere)."""
    check = check_credit_code(value)
    if not check.ok:
        raise ValidationError(check.errors)


class Operator(models.Model):
    """One licensed food business at one site: the file (一企一档) every module hangs its records on.
    Several sites of one legal entity share a credit code."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, validators=[validate_credit_code])
    category = models.CharField(
        _("business format"), max_length=16, choices=OperatorCategory.choices, default=OperatorCategory.CATERING
    )
    canteen_kind = models.CharField(_("canteen kind"), max_length=16, choices=CanteenKind.choices, blank=True)
    special_foods = models.JSONField(_("special foods"), default=list, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="operators",
        limit_choices_to={"level": RegionLevel.COUNTY},
        db_index=False,  # the list index below starts with the region
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OperatorStatus.choices, default=OperatorStatus.OPERATING
    )
    # Scale facts the static risk tables use [S: regulations.md §1.1, tables 1-3 and 1-4]
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    daily_diners = models.PositiveIntegerField(_("diners or meals a day"), null=True, blank=True)
    sku_prepackaged_ambient = models.PositiveIntegerField(_("prepackaged SKUs, ambient"), null=True, blank=True)
    sku_prepackaged_chilled = models.PositiveIntegerField(_("prepackaged SKUs, chilled"), null=True, blank=True)
    sku_prepackaged_frozen = models.PositiveIntegerField(_("prepackaged SKUs, frozen"), null=True, blank=True)
    sku_bulk_ambient = models.PositiveIntegerField(_("bulk SKUs, ambient"), null=True, blank=True)
    sku_bulk_chilled = models.PositiveIntegerField(_("bulk SKUs, chilled"), null=True, blank=True)
    sku_bulk_frozen = models.PositiveIntegerField(_("bulk SKUs, frozen"), null=True, blank=True)
    supplier_count = models.PositiveIntegerField(_("suppliers"), null=True, blank=True)
    handles_high_risk_foods = models.BooleanField(_("handles high-risk perishable foods"), default=False)
    # What decides whether a food-safety director is required [S: regulations.md §3, SAMR Order 60]
    scale = models.CharField(_("business size"), max_length=8, choices=OperatorScale.choices, blank=True)
    chain_headquarters = models.BooleanField(_("headquarters of a chain"), default=False)
    public_id = models.CharField(_("public id"), max_length=32, default=new_public_id, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope = Scope(region="region", operator="pk")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("food business")
        verbose_name_plural = _("food businesses")
        ordering = ["region_id", "name", "id"]
        # Few indexes, each earning its place: every one costs each imported row (benchmarks/import_operators.py).
        # Plain b-trees (no `LIKE 'x%'` twins): scoping is a code range, search exact or by name bigrams (0005).
        indexes = [
            models.Index(fields=["region", "name", "id"], name="registry_operator_list_idx"),
            models.Index(fields=["credit_code"], name="registry_operator_credit_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["public_id"], name="registry_operator_public_id_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=OperatorStatus.values), name="registry_operator_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=OperatorCategory.values), name="registry_operator_category_valid"
            ),
            models.CheckConstraint(
                condition=(models.Q(category=OperatorCategory.CANTEEN) & ~models.Q(canteen_kind=""))
                | (~models.Q(category=OperatorCategory.CANTEEN) & models.Q(canteen_kind="")),
                name="registry_operator_canteen_kind_iff_canteen",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.region_id and self.region.level != RegionLevel.COUNTY:
            errors["region"] = _("An operator belongs to a county-level region.")
        if self.category == OperatorCategory.CANTEEN and not self.canteen_kind:
            errors["canteen_kind"] = _("A canteen needs its kind (school, kindergarten …).")
        if self.category != OperatorCategory.CANTEEN and self.canteen_kind:
            errors["canteen_kind"] = _("Only a canteen has a canteen kind.")
        unknown = set(self.special_foods or []) - set(SpecialFood.values)
        if unknown or not isinstance(self.special_foods, list):
            errors["special_foods"] = _("Unknown special food: %(codes)s") % {
                "codes": ", ".join(sorted(map(str, unknown)))
            }
        if errors:
            raise ValidationError(errors)

    @property
    def credit_code_warnings(self) -> list[str]:
        return check_credit_code(self.credit_code).warnings

    @property
    def premises(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return float(self.latitude), float(self.longitude)


# The scale facts: the static risk tables use them [S: regulations.md §1.1, tables 1-3 and 1-4], and Order 60's
# staffing rule the diners, the size and the chain headquarters [S: regulations.md §3]
SCALE_FIELDS = [
    "floor_area_m2",
    "daily_diners",
    "sku_prepackaged_ambient",
    "sku_prepackaged_chilled",
    "sku_prepackaged_frozen",
    "sku_bulk_ambient",
    "sku_bulk_chilled",
    "sku_bulk_frozen",
    "supplier_count",
    "handles_high_risk_foods",
    "scale",
    "chain_headquarters",
]
# What a registrar sets on an operator, through the forms and the API
EDITABLE_FIELDS = [
    "name",
    "credit_code",
    "category",
    "canteen_kind",
    "special_foods",
    "status",
    "legal_representative",
    "phone",
    "region",
    "address",
    "latitude",
    "longitude",
    *SCALE_FIELDS,
]


class LicenceQuerySet(ScopedQuerySet):
    def in_force(self):
        return self.filter(status=LicenceStatus.VALID)

    def expiring_within(self, days: int, today: date):
        """Valid licences whose expiry falls in the next `days` days (already expired ones excluded)."""
        return self.in_force().filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=days))


class Licence(models.Model):
    """A food production (SC) or business (JY) licence of an operator. Whether it has expired is derived
    from its dates, never stored."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("food business"), on_delete=models.CASCADE, related_name="licences"
    )
    kind = models.CharField(_("kind"), max_length=2, choices=LicenceKind.choices)
    number = models.CharField(_("licence number"), max_length=16)
    licensed_items = models.TextField(_("licensed items"), blank=True)
    authority = models.CharField(_("issued by"), max_length=128, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.VALID)

    scope = Scope(region="operator__region", operator="operator")
    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="registry_licence_number_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=LicenceKind.values), name="registry_licence_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(expires_on__gt=models.F("issued_on")),
                name="registry_licence_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self):
        super().clean()
        check = check_licence_number(self.number)
        if not check.ok:
            raise ValidationError({"number": check.errors})
        if self.kind and self.kind != licence_kind(self.number):
            raise ValidationError(
                {"kind": _("The number is a %(kind)s.") % {"kind": LicenceKind(licence_kind(self.number)).label}}
            )
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError({"expires_on": _("A licence expires after it is issued.")})

    @property
    def warnings(self) -> list[str]:
        county = self.operator.region_id if self.operator_id else None
        category = self.operator.category if self.operator_id else None
        return check_licence_number(self.number, county=county, category=category).warnings

    def days_left(self, today: date) -> int | None:
        return None if self.expires_on is None else (self.expires_on - today).days

    def is_expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today


class Filing(models.Model):
    """A filing (备案) of a seller of prepackaged food only, which needs no licence (SAMR Order 78)."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("food business"), on_delete=models.CASCADE, related_name="filings"
    )
    number = models.CharField(_("filing number"), max_length=40)
    items = models.TextField(_("filed items"), blank=True)
    authority = models.CharField(_("filed with"), max_length=128, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)

    scope = Scope(region="operator__region", operator="operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-filed_on", "number"]
        constraints = [models.UniqueConstraint(fields=["number"], name="registry_filing_number_unique")]

    def __str__(self) -> str:
        return self.number


class Staff(models.Model):
    """A person working at an operator, with the health certificate the law requires of food handlers
    (FSL art. 45). The ID number is stored whole and shown masked to those without the right to see it. The public
    id is the worker's QR code (一码): it shows only public-safe facts."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("food business"), on_delete=models.CASCADE, related_name="staff"
    )
    name = models.CharField(_("name"), max_length=64)
    role = models.CharField(_("role"), max_length=12, choices=StaffRole.choices, default=StaffRole.WORKER)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    health_certificate_no = models.CharField(_("health certificate number"), max_length=40, blank=True)
    health_certificate_issued_on = models.DateField(_("health certificate issued on"), null=True, blank=True)
    health_certificate_expires_on = models.DateField(
        _("health certificate expires on"), null=True, blank=True, db_index=True
    )
    health_certificate_evidence = models.ForeignKey(
        "core.Evidence",
        verbose_name=_("health certificate scan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("still working here"), default=True)
    public_id = models.CharField(_("public id"), max_length=32, default=new_public_id, editable=False)

    scope = Scope(region="operator__region", operator="operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["operator_id", "role", "name"]
        permissions = [("view_full_id_number", _("Can see staff ID numbers unmasked"))]
        constraints = [models.UniqueConstraint(fields=["public_id"], name="registry_staff_public_id_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.id_number:
            check = check_id_number(self.id_number)
            if not check.ok:
                errors["id_number"] = check.errors
        issued, expires = self.health_certificate_issued_on, self.health_certificate_expires_on
        if issued and expires and expires <= issued:
            errors["health_certificate_expires_on"] = _("A health certificate expires after it is issued.")
        if errors:
            raise ValidationError(errors)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def health_certificate_expired(self, today: date) -> bool:
        return self.health_certificate_expires_on is None or self.health_certificate_expires_on < today


class TrainingRecord(models.Model):
    """A food-safety training or test a staff member took (later modules add theirs: Order 60 tests …)."""

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="training")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    provider = models.CharField(_("provided by"), max_length=128, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    source = models.CharField(_("recorded by module"), max_length=32, default="registry")

    scope = Scope(region="staff__operator__region", operator="staff__operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class OperatorMembership(models.Model):
    """A business user's access to an operator's file, with their Order 60 role there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="operator_memberships",
    )
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices)

    class Meta:
        verbose_name = _("operator membership")
        verbose_name_plural = _("operator memberships")
        constraints = [models.UniqueConstraint(fields=["user", "operator"], name="registry_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.operator} ({self.get_role_display()})"


class ImportJob(models.Model):
    """A bulk import of operators uploaded through the web or the API and run by the worker. Its report
    keeps every bad row and warning. A user sees their own jobs (administrators see all)."""

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    partial = models.BooleanField(_("write the good rows even if some are bad"), default=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    problems = models.JSONField(_("bad rows and warnings"), default=list, blank=True)
    written = models.BooleanField(_("written"), default=False)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)
