from django.db import models
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    """A traded food: a GTIN, or a business's own product code where it has none."""

    gtin = models.CharField(_("GTIN"), max_length=14, null=True, blank=True, unique=True)
    code = models.CharField(_("product code"), max_length=120, null=True, blank=True, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        "sampling.FoodCategory",
        verbose_name=_("food category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    product_class = models.ForeignKey(
        "trace.ProductClass",
        verbose_name=_("product class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gtin__isnull=False) | models.Q(code__isnull=False), name="trace_product_has_id"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Lot(models.Model):
    """A batch (批次) of a product. `identifier` is its EPCIS class id (an LGTIN URN, a GS1 Digital Link, or
    `urn:shian:lot:<product code>:<lot code>`)."""

    identifier = models.CharField(_("identifier"), max_length=255, unique=True)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), null=True, blank=True, on_delete=models.PROTECT, related_name="lots"
    )
    lot_code = models.CharField(_("lot code"), max_length=120, blank=True)
    producer = models.ForeignKey(
        "trace.Location",
        verbose_name=_("producer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("best before or use by"), null=True, blank=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self) -> str:
        return f"{self.product or ''} {self.lot_code or self.identifier}".strip()


class TraceCode(models.Model):
    """A trace code (追溯码) on one pack, case or pallet: an EPC instance id (SGTIN, SSCC …) or a code a
    traceability system printed, bound to its lot when known. What a case or pallet holds is what its
    aggregation events packed into it."""

    code = models.CharField(_("trace code"), max_length=255, unique=True)
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), null=True, blank=True, on_delete=models.PROTECT, related_name="codes"
    )

    class Meta:
        verbose_name = _("trace code")
        verbose_name_plural = _("trace codes")

    def __str__(self) -> str:
        return self.code
