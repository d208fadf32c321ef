from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedQuerySet

from ..choices import RapidFollowUp, RapidResult, ResultSource


class RapidTestQuerySet(ScopedQuerySet):
    def positive(self):
        return self.filter(result=RapidResult.POSITIVE)

    def awaiting_follow_up(self):
        return self.positive().filter(follow_up="")


class RapidTest(models.Model):
    """快检: a rapid test (pesticide-residue card, colloidal gold strip …) run by a market, a canteen or a
    bureau: far more of them than lab samples. A positive result is followed up by a lab sample or a disposal;
    for farm produce the business may object within 4 hours, and the re-test may not be a rapid method
    [V: FSL art. 88 ¶2]."""

    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("food business tested"),
        on_delete=models.PROTECT,
        related_name="rapid_tests",
    )
    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(_("product"), max_length=100)
    category = models.ForeignKey(
        "sampling.FoodCategory",
        verbose_name=_("food category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    farm_produce = models.BooleanField(_("edible farm produce"), default=True)
    item = models.CharField(_("test item"), max_length=100)
    method = models.CharField(_("method"), max_length=100)
    result = models.CharField(_("result"), max_length=8, choices=RapidResult.choices)
    reading = models.CharField(_("reading"), max_length=32, blank=True, help_text=_("e.g. an inhibition rate"))
    tester = models.CharField(_("tester"), max_length=64)
    tested_at = models.DateTimeField(_("tested at"))
    source = models.CharField(_("source"), max_length=8, choices=ResultSource.choices)
    device = models.CharField(_("device"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    objected_at = models.DateTimeField(_("objection raised at"), null=True, blank=True)
    objection = models.TextField(_("objection"), blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=8, choices=RapidFollowUp.choices, blank=True)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    sample = models.ForeignKey(
        "sampling.Sample",
        verbose_name=_("lab sample"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rapid_tests",
    )

    scope = Scope(region="region", operator="operator")
    objects = RapidTestQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapid test")
        verbose_name_plural = _("rapid tests")
        ordering = ["-tested_at", "-id"]
        indexes = [models.Index(fields=["region", "-tested_at"], name="sampling_rapid_region")]

    def __str__(self) -> str:
        return f"{self.product_name} {self.item} {self.get_result_display()}"
