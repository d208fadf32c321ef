from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager

from ..choices import DisposalStatus, FeeBearer, RetestStatus, Verdict


class Retest(models.Model):
    """复检: the business applies within 7 working days of being served the failing result; the bureau accepts
    or refuses; the re-test lab is drawn at random from the approved labs, never the first lab; its result is
    final (FSL art. 88 ¶1 [V]). The draw keeps its seed and pool so anyone can repeat it."""

    sample = models.OneToOneField(
        "sampling.Sample", verbose_name=_("sample"), on_delete=models.CASCADE, related_name="retest"
    )
    status = models.CharField(_("status"), max_length=12, choices=RetestStatus.choices, default=RetestStatus.APPLIED)
    applied_at = models.DateTimeField(_("applied at"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    lab = models.ForeignKey(
        "sampling.Lab",
        verbose_name=_("re-test lab"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retests",
    )
    draw_seed = models.CharField(_("draw seed"), max_length=32, blank=True)
    draw_pool = models.JSONField(_("labs drawn from"), default=list, blank=True)
    fee = models.DecimalField(_("fee paid in advance"), max_digits=10, decimal_places=2, null=True, blank=True)
    verdict = models.CharField(_("final verdict"), max_length=12, choices=Verdict.choices, blank=True)
    concluded_on = models.DateField(_("date of the re-test conclusion"), null=True, blank=True)
    fee_bearer = models.CharField(_("fee borne by"), max_length=12, choices=FeeBearer.choices, blank=True)

    scope = Scope(region="sample__region", operator="sample__operator", lab=("lab",), concerns=("sample__producer",))
    objects = ScopedManager()

    class Meta:
        verbose_name = _("re-test")
        verbose_name_plural = _("re-tests")
        ordering = ["-applied_at"]

    def __str__(self) -> str:
        return f"{self.sample.code} {self.get_status_display()}"


class Disposal(models.Model):
    """核查处置 of a failed sample: the bureau's order, the business's report of what it did (sealing, stopping
    sales, recall, the cause) with evidence, the bureau's verification, and whether a case was opened. To be
    finished within the disposal limit (SHIAN_SAMPLING DISPOSAL_DAYS [R: Order 15 art. 45])."""

    sample = models.OneToOneField(
        "sampling.Sample", verbose_name=_("sample"), on_delete=models.CASCADE, related_name="disposal"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DisposalStatus.choices, default=DisposalStatus.ORDERED
    )
    ordered_at = models.DateTimeField(_("ordered at"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ordered by"), on_delete=models.PROTECT, related_name="+"
    )
    requirement = models.TextField(_("what the business must do"))
    due = models.DateField(_("to be finished by"))
    sealed = models.BooleanField(_("products sealed"), default=False)
    sales_stopped = models.BooleanField(_("sales stopped"), default=False)
    recalled_quantity = models.CharField(_("quantity recalled"), max_length=100, blank=True)
    cause = models.TextField(_("cause analysis"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verdict_reason = models.TextField(_("verification note"), blank=True)
    case_opened = models.BooleanField(_("case opened for enforcement"), default=False)

    scope = Scope(region="sample__region", operator="sample__operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["due"]
        permissions = [("report_disposal", _("Can report follow-up handling"))]

    def __str__(self) -> str:
        return f"{self.sample.code} {self.get_status_display()}"
