from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role

_READERS = ["training.view_exam", "training.view_question"]
_ASSIGNERS = [*_READERS, "training.assign_spot_test"]
_BUSINESS = [*_READERS, "training.add_exam"]


class TrainingConfig(AppConfig):
    name = "shian.training"
    label = "training"
    verbose_name = _("Training and tests")
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "training.question.load": _("Loaded a question of the training bank"),
        "training.exam.start": _("Started a training exam"),
        "training.exam.submit": _("Submitted a training exam"),
        "training.spot.assign": _("Assigned a spot test"),
        "training.spot.start": _("Started a spot test"),
        "training.record.write": _("Recorded a test on the staff file"),
    }
    role_permissions = {
        Role.ADMIN: _ASSIGNERS,
        Role.AGENCY_HEAD: _ASSIGNERS,
        Role.INSPECTOR: _ASSIGNERS,
        Role.CASE_OFFICER: _READERS,
        Role.COMMITTEE_OFFICE: _READERS,
        Role.PRINCIPAL: _BUSINESS,
        Role.DIRECTOR: _BUSINESS,
        Role.OFFICER: _BUSINESS,
    }

    @property
    def navigation(self):
        from shian.core.choices import UserKind
        from shian.core.navigation import NavItem

        return [
            NavItem(_("Training"), "training-home", order=17, kinds=(UserKind.BUSINESS,), perm="training.add_exam"),
            NavItem(_("Spot tests"), "training-spot", order=18, kinds=(UserKind.REGULATOR,), perm="training.view_exam"),
        ]
