from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AnalyteGroup, CategoryLevel
from .datafile import LoadedFile


class Analyte(models.Model):
    """A substance or organism a lab tests for (检验项目的对象): an additive, contaminant, pesticide, microbe or
    quality indicator. Shared by every catalogue and limit set; `aliases` are the other names labs write."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    group = models.CharField(_("group"), max_length=16, choices=AnalyteGroup.choices)
    cas = models.CharField(_("CAS number"), max_length=32, blank=True)
    aliases = models.JSONField(_("other names"), default=list, blank=True)

    class Meta:
        verbose_name = _("analyte")
        verbose_name_plural = _("analytes")
        ordering = ["group", "code"]

    def __str__(self) -> str:
        return self.name


class FoodCatalogue(LoadedFile):
    """One version of the sampling food categories with their test items, as a yearly 《食品安全监督抽检实施
    细则》 defines them; loaded from a data file (docs/sampling-data.md). The newest version of a code is used for
    new samples; earlier samples keep the version they were taken under."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta(LoadedFile.Meta):
        verbose_name = _("food catalogue")
        verbose_name_plural = _("food catalogues")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class FoodCategory(models.Model):
    """A food category at one of the four levels (大类 / 亚类 / 次亚类 / 细类). Codes are stable across catalogue
    versions, so limits refer to them by code; a 细类 lists its test items."""

    catalogue = models.ForeignKey(
        FoodCatalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=CategoryLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    lineage = models.JSONField(_("codes from this category up"), default=list)
    gb2760_code = models.CharField(_("GB 2760 Annex E number"), max_length=16, blank=True)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        verbose_name = _("food category")
        verbose_name_plural = _("food categories")
        ordering = ["catalogue_id", "order"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="sampling_category_code")]

    def __str__(self) -> str:
        return self.name


class TestItem(models.Model):
    """A test item (检验项目) of a detailed category: the analyte, the test method and the standard it is
    judged by, as the implementing rules list them."""

    __test__ = False  # not a pytest test class

    category = models.ForeignKey(
        FoodCategory, verbose_name=_("food category"), on_delete=models.CASCADE, related_name="test_items"
    )
    analyte = models.ForeignKey(Analyte, verbose_name=_("analyte"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("test method"), max_length=200, blank=True)
    basis = models.CharField(_("judged by"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        verbose_name = _("test item")
        verbose_name_plural = _("test items")
        ordering = ["category_id", "order"]
        constraints = [models.UniqueConstraint(fields=["category", "analyte"], name="sampling_test_item_unique")]

    def __str__(self) -> str:
        return f"{self.category} · {self.analyte}"
