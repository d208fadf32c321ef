from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role, UserKind

_READERS = [
    "trace.view_receipt",
    "trace.view_product",
    "trace.view_lot",
    "trace.view_traceevent",
    "trace.view_location",
    "trace.view_controlorder",
]
_CONTROLLERS = [*_READERS, "trace.add_controlorder", "trace.change_controlorder"]
_BUSINESS = [*_READERS, "trace.add_traceevent", "trace.change_controlholder"]


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
        "trace.control.open": _("Opened a control order or recall"),
        "trace.control.acknowledge": _("Acknowledged a control order"),
        "trace.control.report": _("Reported the control of a lot"),
        "trace.control.close": _("Closed a control order"),
        "trace.documents.load": _("Loaded receiving requirements"),
        "trace.document.keep": _("Kept a traceability document"),
        "trace.receipt.accept": _("Accepted a delivery"),
        "trace.receipt.refuse": _("Refused a delivery"),
        "trace.supplier.register": _("Registered a supplier"),
    }
    role_permissions = {
        Role.ADMIN: [*_CONTROLLERS, "trace.add_traceevent"],
        Role.AGENCY_HEAD: _CONTROLLERS,
        Role.INSPECTOR: _CONTROLLERS,
        Role.SAMPLING_OFFICER: _READERS,
        Role.CASE_OFFICER: _READERS,
        Role.COMMITTEE_OFFICE: _READERS,
        Role.PRINCIPAL: [*_BUSINESS, "trace.add_controlorder"],  # a producer's recall
        Role.DIRECTOR: [*_BUSINESS, "trace.add_controlorder"],
        Role.OFFICER: _BUSINESS,
    }

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check)

    @property
    def navigation(self):
        from shian.core.navigation import NavItem

        return [
            NavItem(_("Trace"), "trace", order=39, perm="trace.view_traceevent"),
            NavItem(_("Control orders"), "control-list", order=40, perm="trace.view_controlorder"),
            NavItem(_("Receive goods"), "receive", order=41, kinds=(UserKind.BUSINESS,), perm="trace.add_traceevent"),
            NavItem(_("Stock"), "stock", order=42, kinds=(UserKind.BUSINESS,), perm="trace.add_traceevent"),
            NavItem(_("Suppliers"), "supplier-list", order=43, kinds=(UserKind.BUSINESS,), perm="trace.add_traceevent"),
            NavItem(_("Incoming checks"), "receipt-list", order=44, perm="trace.view_traceevent"),
        ]
