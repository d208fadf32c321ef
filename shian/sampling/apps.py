from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role

_READERS = ["sampling.view_foodcatalogue", "sampling.view_limitset", "sampling.view_analyte"]


class SamplingConfig(AppConfig):
    name = "shian.sampling"
    label = "sampling"
    verbose_name = _("Sampling and testing")
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "sampling.analyte.create": _("Added an analyte"),
        "sampling.analyte.update": _("Changed an analyte"),
        "sampling.catalogue.load": _("Loaded a food catalogue"),
        "sampling.limits.load": _("Loaded a limit set"),
    }
    role_permissions = {
        Role.ADMIN: [*_READERS, "sampling.add_foodcatalogue", "sampling.add_limitset"],
        Role.AGENCY_HEAD: _READERS,
        Role.SAMPLING_OFFICER: _READERS,
        Role.INSPECTOR: _READERS,
        Role.CASE_OFFICER: _READERS,
        Role.COMMITTEE_OFFICE: _READERS,
        Role.LAB: _READERS,
    }
