import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import Scope, ScopedManager


class EvidenceFlag(models.TextChoices):
    NO_EXIF = "no_exif", _("No EXIF time or position in the photo")
    TIME_MISMATCH = "time_mismatch", _("EXIF time differs from the claimed capture time")
    PLACE_MISMATCH = "place_mismatch", _("EXIF position differs from the claimed position")
    FAR_FROM_PREMISES = "far_from_premises", _("Taken far from the premises")
    DUPLICATE = "duplicate", _("The same file was uploaded before")
    PHONE_MISMATCH = "phone_mismatch", _("Phone differs from the uploader's registered phone")


class Evidence(models.Model):
    """A photo or PDF bound to the five facts of 五定 (time, place, phone, scene, photographer's face) and
    to its SHA-256, with what the server found when it compared EXIF with the claim."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    mime_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    face_photo = models.FileField(_("photographer's face"), upload_to="evidence/faces/%Y/%m/")
    face_sha256 = models.CharField(_("face photo SHA-256"), max_length=64)
    captured_at = models.DateTimeField(_("capture time"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    phone = models.CharField(_("uploader's phone"), max_length=20)
    scene = models.CharField(_("scene"), max_length=255)
    exif_taken_at = models.DateTimeField(_("EXIF time"), null=True, blank=True)
    exif_latitude = models.DecimalField(_("EXIF latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    exif_longitude = models.DecimalField(_("EXIF longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    premises_distance_m = models.PositiveIntegerField(_("distance from premises (m)"), null=True, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("first upload of the same file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey(
        "registry.Operator",
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), null=True, blank=True, on_delete=models.PROTECT
    )
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    scope = Scope(region="region", operator="operator")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="core_evidence_subject_idx"),
            models.Index(fields=["region", "-uploaded_at"], name="core_evidence_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.scene} ({self.sha256[:8]})"

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    def flag_labels(self) -> list[str]:
        return [EvidenceFlag(f).label for f in self.flags if f in EvidenceFlag.values]
