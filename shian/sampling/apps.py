from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role

_DATA = ["sampling.view_foodcatalogue", "sampling.view_limitset", "sampling.view_analyte", "sampling.view_lab"]
_READERS = [
    *_DATA,
    "sampling.view_rapidtest",
    "sampling.view_samplingplan",
    "sampling.view_sample",
    "sampling.view_testresult",
    "sampling.view_retest",
    "sampling.view_disposal",
]
_SAMPLERS = [
    *_READERS,
    "sampling.add_rapidtest",
    "sampling.change_rapidtest",
    "sampling.add_samplingplan",
    "sampling.change_samplingplan",
    "sampling.add_sample",
    "sampling.change_sample",
    "sampling.change_retest",
    "sampling.add_disposal",
    "sampling.change_disposal",
]
_BUSINESS = [
    "sampling.view_rapidtest",
    "sampling.add_rapidtest",
    "sampling.view_sample",
    "sampling.view_testresult",
    "sampling.view_retest",
    "sampling.view_disposal",
    "sampling.add_retest",
    "sampling.report_disposal",
]
_LAB = [*_READERS, "sampling.report_results"]


class SamplingConfig(AppConfig):
    name = "shian.sampling"
    label = "sampling"
    verbose_name = _("Sampling and testing")
    default_auto_field = "django.db.models.BigAutoField"
    api_scopes = {
        "samples:read": _("Read samples and their test results"),
        "samples:results": _("Report test results (a lab system)"),
        "rapid-tests:read": _("Read rapid tests"),
        "rapid-tests:write": _("Record rapid tests (a market's or a device's system)"),
    }
    audit_actions = {
        "sampling.analyte.create": _("Added an analyte"),
        "sampling.analyte.update": _("Changed an analyte"),
        "sampling.catalogue.load": _("Loaded a food catalogue"),
        "sampling.limits.load": _("Loaded a limit set"),
        "sampling.sample.record": _("Recorded a sample"),
        "sampling.sample.receive": _("Received a sample at the lab"),
        "sampling.results.report": _("Reported test results"),
        "sampling.result.review": _("Corrected a test result kept for review"),
        "sampling.sample.conclude": _("Concluded a sample"),
        "sampling.sample.notify": _("Served a test result on the business"),
        "sampling.retest.apply": _("Applied for a re-test"),
        "sampling.retest.decide": _("Decided a re-test application"),
        "sampling.retest.conclude": _("Concluded a re-test"),
        "sampling.disposal.order": _("Ordered follow-up handling"),
        "sampling.disposal.report": _("Reported follow-up handling"),
        "sampling.disposal.verify": _("Verified follow-up handling"),
        "sampling.plan.create": _("Drew up a sampling plan"),
        "sampling.plan.activate": _("Put a sampling plan in force"),
        "sampling.rapid.record": _("Recorded a rapid test"),
        "sampling.rapid.object": _("Objected to a rapid test"),
        "sampling.rapid.follow_up": _("Followed up a positive rapid test"),
    }
    role_permissions = {
        Role.ADMIN: [*_SAMPLERS, "sampling.add_foodcatalogue", "sampling.add_limitset", "sampling.add_lab"],
        Role.AGENCY_HEAD: _SAMPLERS,
        Role.SAMPLING_OFFICER: _SAMPLERS,
        Role.INSPECTOR: _READERS,
        Role.CASE_OFFICER: _READERS,
        Role.COMMITTEE_OFFICE: _READERS,
        Role.LAB: _LAB,
        Role.PRINCIPAL: _BUSINESS,
        Role.DIRECTOR: _BUSINESS,
        Role.OFFICER: _BUSINESS,
    }

    @property
    def navigation(self):
        from shian.core.navigation import NavItem

        return [
            NavItem(_("Samples"), "sample-list", order=30, perm="sampling.view_sample"),
            NavItem(_("Sampling plans"), "sampling-plan-list", order=31, perm="sampling.view_samplingplan"),
            NavItem(_("My sampling tasks"), "sampling-my-tasks", order=32, perm="sampling.add_sample"),
            NavItem(_("Rapid tests"), "rapid-list", order=33, perm="sampling.view_rapidtest"),
        ]
