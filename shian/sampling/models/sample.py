from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager, ScopedQuerySet

from ..choices import ResultSource, ResultStatus, SampleStatus, Stage, Verdict


class SampleQuerySet(ScopedQuerySet):
    def late_to_lab(self, today):
        return self.filter(status=SampleStatus.SAMPLED, lab_due__lt=today)

    def late_report(self, today):
        return self.filter(status=SampleStatus.TESTING, report_due__lt=today)


class Sample(models.Model):
    """A sample taken for testing (抽样), as its sampling form (抽样单) records it: the food and its producer,
    the business it was bought from, the samplers, seals and photos, the lab it went to, and the clocks of
    SAMR Order 15 from sampling to verdict (regulations.md §2)."""

    code = models.CharField(_("sample number"), max_length=32, unique=True)
    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("sampled business"), on_delete=models.PROTECT, related_name="samples"
    )
    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("sampling agency"), on_delete=models.PROTECT, related_name="+"
    )
    samplers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("samplers"), related_name="+")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    category = models.ForeignKey(
        "sampling.FoodCategory", verbose_name=_("food category"), on_delete=models.PROTECT, related_name="+"
    )
    product_name = models.CharField(_("product name"), max_length=200)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    specification = models.CharField(_("specification"), max_length=100, blank=True)
    batch_no = models.CharField(_("batch number"), max_length=64, blank=True)
    production_date = models.DateField(_("production or purchase date"), null=True, blank=True)
    quantity = models.CharField(_("quantity sampled"), max_length=64)
    backup_quantity = models.CharField(_("backup sample for re-test"), max_length=64)
    price = models.DecimalField(_("price paid"), max_digits=10, decimal_places=2, null=True, blank=True)
    producer_name = models.CharField(_("producer"), max_length=200, blank=True)
    producer_address = models.CharField(_("producer's address"), max_length=255, blank=True)
    producer_credit_code = models.CharField(_("producer's credit code"), max_length=18, blank=True)
    producer = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("producer on the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="produced_samples",
    )
    place = models.CharField(_("place of sampling"), max_length=255, blank=True)
    seal_numbers = models.CharField(_("seal numbers"), max_length=200, blank=True)
    lab = models.ForeignKey("sampling.Lab", verbose_name=_("lab"), on_delete=models.PROTECT, related_name="samples")
    status = models.CharField(_("status"), max_length=12, choices=SampleStatus.choices, default=SampleStatus.SAMPLED)
    sampled_at = models.DateTimeField(_("sampled at"))
    lab_due = models.DateField(_("at the lab by"), null=True, blank=True)
    received_at = models.DateTimeField(_("received by the lab"), null=True, blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    concluded_on = models.DateField(_("date of the test conclusion"), null=True, blank=True)
    reported_at = models.DateTimeField(_("result reported"), null=True, blank=True)
    report_deadline = models.DateField(_("result to be reported by"), null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, blank=True)
    final_verdict = models.CharField(
        _("final verdict"), max_length=12, choices=Verdict.choices, blank=True, help_text=_("After any re-test.")
    )
    notified_at = models.DateTimeField(_("result served on the business"), null=True, blank=True)
    retest_due = models.DateField(_("re-test to be applied for by"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(region="region", operator="operator", lab=("lab", "retest__lab"), concerns=("producer",))
    objects = SampleQuerySet.as_manager()

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["-sampled_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-sampled_at"], name="sampling_sample_region"),
            models.Index(fields=["lab", "status"], name="sampling_sample_lab"),
        ]
        permissions = [("report_results", _("Can report test results"))]

    def __str__(self) -> str:
        return f"{self.code} {self.product_name}"


class TestResult(models.Model):
    """A lab's result for one test item of a sample, as reported (kept verbatim) and as read and judged against
    the limit in force (判定) with its citation. A row the platform cannot read (unknown analyte or unit,
    unparseable value) is kept as pending review with its problems, never dropped."""

    __test__ = False  # not a pytest test class

    sample = models.ForeignKey(Sample, verbose_name=_("sample"), on_delete=models.CASCADE, related_name="results")
    analyte = models.ForeignKey(
        "sampling.Analyte", verbose_name=_("analyte"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    analyte_text = models.CharField(_("analyte as reported"), max_length=200)
    value_text = models.CharField(_("value as reported"), max_length=64)
    unit_text = models.CharField(_("unit as reported"), max_length=32, blank=True)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=9, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    not_detected = models.BooleanField(_("not detected"), default=False)
    lod = models.DecimalField(_("limit of detection"), max_digits=24, decimal_places=9, null=True, blank=True)
    loq = models.DecimalField(_("limit of quantification"), max_digits=24, decimal_places=9, null=True, blank=True)
    method = models.CharField(_("method"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ResultStatus.choices)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    detail = models.CharField(_("comparison"), max_length=200, blank=True)
    citation = models.CharField(_("standard cited"), max_length=250, blank=True)
    limit = models.ForeignKey(
        "sampling.Limit", verbose_name=_("limit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=8, choices=ResultSource.choices)
    retest = models.ForeignKey(
        "sampling.Retest",
        verbose_name=_("re-test"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
        help_text=_("Set on the re-test lab's results."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    scope = Scope(
        region="sample__region",
        operator="sample__operator",
        lab=("sample__lab", "retest__lab"),
        concerns=("sample__producer",),
    )
    objects = ScopedManager()

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        ordering = ["sample_id", "id"]

    def __str__(self) -> str:
        return f"{self.analyte_text} {self.value_text} {self.unit_text}"
