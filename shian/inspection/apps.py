from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role

_READERS = [
    "inspection.view_inspection",
    "inspection.view_rectification",
    "inspection.view_checklisttemplate",
    "inspection.view_inspectionplan",
]
_INSPECTORS = [
    *_READERS,
    "inspection.add_inspection",
    "inspection.change_inspection",
    "inspection.add_rectification",
    "inspection.change_rectification",
    "inspection.add_recusal",
]
_HEADS = [
    *_INSPECTORS,
    "inspection.add_inspectionplan",
    "inspection.change_inspectionplan",
    "inspection.add_draw",
    "inspection.publish_inspection",
    "inspection.change_checklisttemplate",
]
_BUSINESS = ["inspection.view_inspection", "inspection.view_rectification", "inspection.submit_rectification"]


class InspectionConfig(AppConfig):
    name = "shian.inspection"
    label = "inspection"
    verbose_name = _("Inspections")
    default_auto_field = "django.db.models.BigAutoField"
    api_scopes = {"inspections:read": _("Read inspections and rectification orders")}
    audit_actions = {
        "checklist.load": _("Loaded a checklist"),
        "checklist.copy": _("Adapted a checklist"),
        "checklist.item.save": _("Changed a checklist item"),
        "checklist.activate": _("Put a checklist in use"),
        "checklist.deactivate": _("Took a checklist out of use"),
        "inspection.start": _("Started an inspection"),
        "inspection.answer": _("Answered a checklist item"),
        "inspection.finish": _("Finished an inspection"),
        "inspection.publish": _("Published an inspection result"),
        "rectification.issue": _("Ordered a fix"),
        "rectification.self_open": _("Opened a rectification for a self-inspection"),
        "rectification.submit": _("Reported a fix"),
        "rectification.verify": _("Verified a fix"),
        "plan.create": _("Drew up an inspection plan"),
        "plan.draw": _("Made a random draw"),
        "plan.publish": _("Published an inspection plan"),
        "recusal.declare": _("Declared a conflict of interest"),
    }
    role_permissions = {
        Role.ADMIN: _HEADS,
        Role.AGENCY_HEAD: _HEADS,
        Role.INSPECTOR: _INSPECTORS,
        Role.CASE_OFFICER: _READERS,
        Role.COMMITTEE_OFFICE: _READERS,
        Role.PRINCIPAL: _BUSINESS,
        Role.DIRECTOR: _BUSINESS,
        Role.OFFICER: _BUSINESS,
    }

    @property
    def navigation(self):
        from shian.core.navigation import NavItem

        return [
            NavItem(_("Inspections"), "inspection-list", order=20, perm="inspection.view_inspection"),
            NavItem(_("Rectification"), "rectification-list", order=21, perm="inspection.view_rectification"),
            NavItem(_("Plans"), "plan-list", order=22, perm="inspection.view_inspectionplan"),
            NavItem(_("Checklists"), "checklist-list", order=23, perm="inspection.view_checklisttemplate"),
        ]
