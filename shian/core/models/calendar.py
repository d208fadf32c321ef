from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayNotice(models.Model):
    """The State Council's holiday notice for a year the `chinese-calendar` library does not know yet,
    loaded by an administrator. Its days override the library for that year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("notice"), max_length=200)
    source_url = models.URLField(_("source"), blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("holiday notice")
        verbose_name_plural = _("holiday notices")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class CalendarDay(models.Model):
    """A day the notice changes: a public holiday (休) or a make-up working day (班) on a weekend."""

    notice = models.ForeignKey(HolidayNotice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("holiday"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_workday else '休'} {self.name}"
