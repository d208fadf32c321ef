from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import RegionLevel
from ..rules import region_prefix


class RegionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(valid_to__isnull=True)

    def within(self, code: str):
        """The region `code` and every region under it."""
        from .scoping import in_region_q

        return self.filter(in_region_q("code", code))


class Region(models.Model):
    """An administrative division by its GB/T 2260 code (6 digits; towns 9). The code is the primary key,
    so any table's region column can be scoped by a prefix match without a join. Retired codes are kept
    with `valid_to` and, where known, their successor."""

    code = models.CharField(_("code"), max_length=9, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=8, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    population = models.PositiveIntegerField(_("resident population"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=64, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=RegionLevel.values), name="core_region_level_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return region_prefix(self.code)

    def ancestors(self) -> list["Region"]:
        """Province → … → parent, in that order."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in [*self.ancestors(), self])
