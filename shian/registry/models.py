import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from shian.core.choices import RegionLevel
from shian.core.models import Scope, ScopedManager

from .choices import MembershipRole, OperatorStatus


def new_public_id() -> str:
    """An unguessable id for the operator's QR code (URL-safe, 128 bits)."""
    return secrets.token_urlsafe(16)


def validate_credit_code(value: str) -> None:
    """Unified social credit code (GB 32100-2015), checked by python-stdnum [V: regulations.md §7.1]."""
    try:
        uscc.validate(value)
    except Exception as exc:  # stdnum raises several ValidationError subclasses
        raise ValidationError(_("Not a valid unified social credit code: %(reason)s"), params={"reason": exc}) from None


class Operator(models.Model):
    """One licensed food business at one site: the file (一企一档) every module hangs its records on."""

    name = models.CharField(_("name"), max_length=200, db_index=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, db_index=True, validators=[validate_credit_code]
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="operators",
        limit_choices_to={"level": RegionLevel.COUNTY},
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OperatorStatus.choices,
        default=OperatorStatus.OPERATING,
        db_index=True,
    )
    public_id = models.CharField(_("public id"), max_length=32, unique=True, default=new_public_id, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope = Scope(region="region", operator="pk")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("food business")
        verbose_name_plural = _("food businesses")
        ordering = ["region_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OperatorStatus.values), name="registry_operator_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.region_id and self.region.level != RegionLevel.COUNTY:
            raise ValidationError({"region": _("An operator belongs to a county-level region.")})

    @property
    def premises(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return float(self.latitude), float(self.longitude)


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
