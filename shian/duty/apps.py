from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role

_READERS = [
    "duty.view_riskcontrollist",
    "duty.view_appointment",
    "duty.view_dailycheck",
    "duty.view_weeklyreview",
    "duty.view_monthlymeeting",
    "duty.view_logentry",
    "duty.view_selfinspection",
]
_BUSINESS = [
    *_READERS,
    "duty.add_dailycheck",
    "duty.add_weeklyreview",
    "duty.add_monthlymeeting",
    "duty.add_logentry",
    "duty.add_selfinspection",
]
_MANAGERS = [*_BUSINESS, "duty.change_riskcontrollist", "duty.add_appointment", "duty.change_appointment"]


class DutyConfig(AppConfig):
    name = "shian.duty"
    label = "duty"
    verbose_name = _("Businesses' own duties")
    default_auto_field = "django.db.models.BigAutoField"
    api_scopes = {
        "duty:read": _("Read businesses' daily checks and operational records"),
        "duty-logs:write": _("Record operational-record entries (a morning-check kiosk's or a cabinet's system)"),
    }
    audit_actions = {
        "duty.template.load": _("Loaded a risk-control list template"),
        "duty.list.adopt": _("Adopted a risk-control list template"),
        "duty.list.revise": _("Started a revision of the risk-control list"),
        "duty.list.update": _("Changed a draft risk-control list"),
        "duty.list.discard": _("Discarded a draft risk-control list"),
        "duty.list.supersede": _("Superseded a risk-control list"),
        "duty.list.in_force": _("Put a risk-control list in force"),
        "duty.point.save": _("Changed a risk point"),
        "duty.point.remove": _("Removed a risk point"),
        "duty.appointment.make": _("Appointed a food-safety manager"),
        "duty.appointment.end": _("Ended an appointment"),
        "duty.daily.open": _("Started a daily check"),
        "duty.daily.answer": _("Answered a daily check item"),
        "duty.daily.sign": _("Signed a daily check"),
        "duty.weekly.open": _("Started a weekly review"),
        "duty.weekly.refresh": _("Added the week's new problems to a weekly review"),
        "duty.weekly.update": _("Changed a weekly review"),
        "duty.weekly.problem": _("Changed a problem of a weekly review"),
        "duty.weekly.sign": _("Signed a weekly review"),
        "duty.monthly.record": _("Recorded a monthly meeting"),
        "duty.monthly.sign": _("Signed the minutes of a monthly meeting"),
        "duty.log.record": _("Recorded an operational record entry"),
        "duty.self.start": _("Started a self-inspection"),
        "duty.self.answer": _("Answered a self-inspection item"),
        "duty.self.finish": _("Finished a self-inspection"),
    }
    role_permissions = {
        Role.ADMIN: _READERS,
        Role.AGENCY_HEAD: _READERS,
        Role.INSPECTOR: _READERS,
        Role.CASE_OFFICER: _READERS,
        Role.COMMITTEE_OFFICE: _READERS,
        Role.PRINCIPAL: _MANAGERS,
        Role.DIRECTOR: _MANAGERS,
        Role.OFFICER: _BUSINESS,
    }

    @property
    def navigation(self):
        from shian.core.choices import UserKind
        from shian.core.navigation import NavItem

        return [
            NavItem(_("My duties"), "duty-card", order=15, kinds=(UserKind.BUSINESS,), perm="duty.add_dailycheck"),
            NavItem(
                _("Duty records"), "duty-oversight", order=16, kinds=(UserKind.REGULATOR,), perm="duty.view_dailycheck"
            ),
            NavItem(
                _("Director performance"),
                "duty-performance",
                order=18,
                kinds=(UserKind.REGULATOR,),
                perm="duty.view_appointment",
            ),
        ]
