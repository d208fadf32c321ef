from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Lab(models.Model):
    """A food testing lab (检验机构) with its accreditation; `retest_approved` when it is on the published list of
    labs that may do re-tests (复检机构名录), from which a re-test lab is drawn."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    accreditation = models.CharField(_("accreditation (CMA) number"), max_length=64, blank=True)
    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    retest_approved = models.BooleanField(_("approved for re-tests"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("lab")
        verbose_name_plural = _("labs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LabMember(models.Model):
    """A user who works for a lab: sees the samples sent to it and reports their results."""

    lab = models.ForeignKey(Lab, verbose_name=_("lab"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="lab_memberships"
    )

    class Meta:
        verbose_name = _("lab member")
        verbose_name_plural = _("lab members")
        constraints = [models.UniqueConstraint(fields=["lab", "user"], name="sampling_lab_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.lab}"
