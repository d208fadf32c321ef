from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AgencyKind
from .scoping import Scope, ScopedManager


class Agency(models.Model):
    """A supervising body (市场监管局, its branches and stations, other departments) and its region."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AgencyKind.choices, default=AgencyKind.BUREAU)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    scope = Scope(region="region")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name
