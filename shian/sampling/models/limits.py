from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import LimitKind
from ..units import UNITS
from .datafile import LoadedFile


class LimitSet(LoadedFile):
    """One version of a table of limits (GB 2760, 2761, 2762, 2763 … or a bureau's own), loaded from a data
    file (docs/sampling-data.md). A newer version of the same code replaces the older one for samples taken from
    its `valid_from`; samples before that date are judged by the version then in force."""

    title = models.CharField(_("title"), max_length=200)
    catalogue_code = models.SlugField(_("food catalogue"), max_length=40)
    valid_from = models.DateField(_("in force from"))

    class Meta(LoadedFile.Meta):
        verbose_name = _("limit set")
        verbose_name_plural = _("limit sets")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Limit(models.Model):
    """限量: the most an analyte may be present in a food category (or the least, for a quality minimum), or
    that it must not be detected or is not permitted there; with the standard and clause it comes from.
    An empty category code applies to every food."""

    limit_set = models.ForeignKey(
        LimitSet, verbose_name=_("limit set"), on_delete=models.CASCADE, related_name="limits"
    )
    analyte = models.ForeignKey(
        "sampling.Analyte", verbose_name=_("analyte"), on_delete=models.PROTECT, related_name="+"
    )
    category_code = models.CharField(_("food category"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=LimitKind.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=9, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=[(code, code) for code in UNITS])
    expressed_as = models.CharField(_("expressed as"), max_length=100, blank=True)
    standard = models.CharField(_("standard"), max_length=100)
    clause = models.CharField(_("clause"), max_length=100, blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until (exclusive)"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, default="R")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("limit")
        verbose_name_plural = _("limits")
        ordering = ["limit_set_id", "analyte_id", "category_code", "valid_from"]
        indexes = [models.Index(fields=["analyte", "category_code"], name="sampling_limit_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[LimitKind.NOT_DETECTED, LimitKind.NOT_PERMITTED]) | models.Q(value__gt=0),
                name="sampling_limit_value_for_levels",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.analyte_id} {self.category_code or '*'} {self.kind} {self.value or ''} {self.unit}"

    @property
    def citation(self) -> str:
        return " ".join(part for part in (self.standard, self.clause) if part)
