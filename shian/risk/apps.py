from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role

_GRADE_READERS = ["risk.view_riskgrade", "risk.view_ruleset"]
_GRADERS = [*_GRADE_READERS, "risk.add_riskfact", "risk.change_riskfact", "risk.add_riskgrade"]
_HEADS = [*_GRADERS, "risk.override_grade", "risk.add_regraderun", "risk.view_regraderun"]


class RiskConfig(AppConfig):
    name = "shian.risk"
    label = "risk"
    verbose_name = _("Risk grades")
    default_auto_field = "django.db.models.BigAutoField"
    api_scopes = {"risk:read": _("Read risk grades")}
    audit_actions = {
        "risk.ruleset.load": _("Loaded a risk rule-set"),
        "risk.fact.set": _("Recorded a risk fact"),
        "risk.fact.remove": _("Removed a risk fact"),
        "risk.grade.compute": _("Graded a food business's risk"),
        "risk.regrade": _("Regraded food businesses in bulk"),
        "risk.grade.override": _("Set a risk grade by hand"),
        "risk.grade.override.lift": _("Lifted a risk grade set by hand"),
    }
    role_permissions = {
        Role.ADMIN: [*_HEADS, "risk.add_ruleset"],
        Role.AGENCY_HEAD: _HEADS,
        Role.INSPECTOR: _GRADERS,
        Role.CASE_OFFICER: _GRADE_READERS,
        Role.SAMPLING_OFFICER: _GRADE_READERS,
        Role.COMMITTEE_OFFICE: _GRADE_READERS,
    }

    @property
    def navigation(self):
        from shian.core.navigation import NavItem

        return [NavItem(_("Bulk regrade"), "risk-regrade", order=25, perm="risk.view_regraderun")]
