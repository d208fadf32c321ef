from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shian.core.models import Scope, ScopedManager

from ..choices import DocumentLevel, ReceiptStatus


class DocumentKind(models.Model):
    """A kind of paper a buyer must check and keep (检验检疫证明, 合格证明, 出库单 …); data, not code
    (`shian documents load`, regulations.md §5.1: the cold-chain set is one configurable checklist)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("kept for"), max_length=8, choices=DocumentLevel.choices)
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")

    def __str__(self) -> str:
        return self.name


class ProductClass(models.Model):
    """A class of products and what receiving one requires: a trace code (无码不准经营) and papers."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    requires_trace_code = models.BooleanField(_("requires a trace code"), default=False)
    documents = models.ManyToManyField(DocumentKind, verbose_name=_("required documents"), blank=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("product class")
        verbose_name_plural = _("product classes")

    def __str__(self) -> str:
        return self.name


class Supplier(models.Model):
    """A supplier in a business's register (供货者档案): who it is, where its goods come from on the trace, and
    its papers (a licence with an expiry)."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("business"), on_delete=models.PROTECT, related_name="suppliers"
    )
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    location = models.ForeignKey(
        "trace.Location", verbose_name=_("place on the trace"), null=True, blank=True, on_delete=models.PROTECT
    )
    supplier_operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("the supplier on the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
    )

    objects = ScopedManager()
    scope = Scope(region="operator__region", operator="operator")

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [models.UniqueConstraint(fields=["operator", "name"], name="trace_supplier_name_once")]

    def __str__(self) -> str:
        return self.name


class TraceDocument(models.Model):
    """A paper kept for traceability, with its number, issuer, validity and scanned file (its SHA-256 on the
    evidence ledger); kept for a lot, a delivery or a supplier."""

    kind = models.ForeignKey(DocumentKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    number = models.CharField(_("number"), max_length=100)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="trace/documents/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("kept by"), on_delete=models.PROTECT, related_name="trace_documents"
    )
    lot = models.ForeignKey(
        "trace.Lot", verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    receipt = models.ForeignKey(
        "trace.Receipt",
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(region="operator__region", operator="operator")

    class Meta:
        verbose_name = _("trace document")
        verbose_name_plural = _("trace documents")

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    def valid_on(self, day) -> bool:
        return (self.issued_on is None or self.issued_on <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class Receipt(models.Model):
    """An incoming check (进货查验) of a delivery: accepted, and then a receiving event on the trace; or refused
    with its reasons (no trace code, a paper missing or expired), which the bureau sees as a finding."""

    operator = models.ForeignKey(
        "registry.Operator", verbose_name=_("business"), on_delete=models.PROTECT, related_name="receipts"
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="receipts"
    )
    lot = models.ForeignKey("trace.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="receipts")
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=16)
    codes = models.JSONField(_("trace codes"), default=list, blank=True)
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(_("status"), max_length=8, choices=ReceiptStatus.choices)
    problems = models.JSONField(_("why it was refused"), default=list, blank=True)
    event = models.ForeignKey(
        "trace.TraceEvent", verbose_name=_("receiving event"), null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager()
    scope = Scope(region="operator__region", operator="operator")

    class Meta:
        verbose_name = _("incoming check")
        verbose_name_plural = _("incoming checks")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.operator} {self.lot}"
