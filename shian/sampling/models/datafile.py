from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoadedFile(models.Model):
    """One version of a data file loaded into the database (a food catalogue, a limit set): the same code and
    version is never loaded with other content."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, default="R")
    sha256 = models.CharField(_("file SHA-256"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="%(app_label)s_%(class)s_version")]
