from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedQuerySet

from ..choices import DutyRole


class AppointmentQuerySet(ScopedQuerySet):
    def current(self, on=None):
        """Appointments in force on day `on` (today's when None: not ended)."""
        if on is None:
            return self.filter(ended_on__isnull=True)
        return self.filter(appointed_on__lte=on).filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))


class Appointment(models.Model):
    """The appointment of a person on a business's staff as its main person in charge, food-safety director or
    food-safety officer (SAMR Order 60, regulations.md §3). Ended, never deleted: who held a role on a day is
    part of the file."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("food business"), on_delete=models.CASCADE, related_name="appointments"
    )
    role = models.CharField(_("role"), max_length=12, choices=DutyRole.choices)
    staff = models.ForeignKey(
        "registry.Staff", verbose_name=_("person"), on_delete=models.PROTECT, related_name="appointments"
    )
    full_time = models.BooleanField(_("full-time"), default=False)
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    scope = Scope(region="operator__region", operator="operator")
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["operator_id", "role", "-appointed_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=DutyRole.values), name="duty_appointment_role_valid"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("appointed_on")),
                name="duty_appointment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["operator", "role"],
                condition=models.Q(ended_on__isnull=True, role__in=[DutyRole.PRINCIPAL, DutyRole.DIRECTOR]),
                name="duty_appointment_one_principal_one_director",
            ),
            models.UniqueConstraint(
                fields=["operator", "role", "staff"],
                condition=models.Q(ended_on__isnull=True),
                name="duty_appointment_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} ({self.get_role_display()})"
