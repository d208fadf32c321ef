from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role

_READERS = ["trace.view_product", "trace.view_lot", "trace.view_traceevent", "trace.view_location"]
_BUSINESS = [*_READERS, "trace.add_traceevent"]


class TraceConfig(AppConfig):
    name = "shian.trace"
    label = "trace"
    verbose_name = _("Traceability and control")
    default_auto_field = "django.db.models.BigAutoField"
    api_scopes = {
        "trace:read": _("Read trace events and run traces"),
        "trace:capture": _("Capture EPCIS trace events (a business's or a traceability system's)"),
    }
    audit_actions = {
        "trace.capture": _("Captured trace events"),
        "trace.declare_error": _("Declared a trace event erroneous"),
    }
    role_permissions = {
        Role.ADMIN: [*_BUSINESS],
        Role.AGENCY_HEAD: _READERS,
        Role.INSPECTOR: _READERS,
        Role.SAMPLING_OFFICER: _READERS,
        Role.CASE_OFFICER: _READERS,
        Role.COMMITTEE_OFFICE: _READERS,
        Role.PRINCIPAL: _BUSINESS,
        Role.DIRECTOR: _BUSINESS,
        Role.OFFICER: _BUSINESS,
    }
