from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager

from ..choices import LocationKind


class Location(models.Model):
    """A place or party in the supply chain: a business's site on the platform, or an outside party known by
    its GLN (or only by name and country). `identifier` is its EPCIS id (an SGLN or PGLN URN, a GS1 Digital
    Link, or `urn:shian:site:<operator>` for a site without a GLN)."""

    identifier = models.CharField(_("identifier"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=LocationKind.choices, default=LocationKind.PARTY)
    name = models.CharField(_("name"), max_length=200)
    gln = models.CharField(_("GLN"), max_length=13, blank=True)
    country = models.CharField(_("country"), max_length=2, default="CN")
    address = models.CharField(_("address"), max_length=255, blank=True)
    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("business"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trace_locations",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager()
    scope = Scope(region="region", operator="operator")

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name
