from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shian.core.choices import Role

# Regulators who keep the register: create and edit businesses, their licences and filings, and see staff.
_REGISTRARS = [
    "registry.add_operator",
    "registry.change_operator",
    "registry.add_licence",
    "registry.change_licence",
    "registry.add_filing",
    "registry.change_filing",
    "registry.view_staff",
]
# A business's own people maintain its staff and their health certificates.
_STAFF_KEEPERS = ["registry.add_staff", "registry.change_staff", "registry.view_staff"]


class RegistryConfig(AppConfig):
    name = "shian.registry"
    label = "registry"
    verbose_name = _("Food businesses")
    default_auto_field = "django.db.models.BigAutoField"
    api_scopes = {
        "operators:read": _("Read food businesses"),
        "operators:write": _("Register and change food businesses"),
    }
    audit_actions = {
        "operator.create": _("Registered a food business"),
        "operator.update": _("Changed a food business"),
        "operator.import.create": _("Registered a food business by bulk import"),
        "operator.import.update": _("Changed a food business by bulk import"),
        "licence.import.update": _("Changed a licence's dates by bulk import"),
        "operator.membership.grant": _("Gave a user access to a food business"),
        "licence.create": _("Added a licence"),
        "licence.update": _("Changed a licence"),
        "filing.create": _("Added a filing"),
        "filing.update": _("Changed a filing"),
        "staff.create": _("Added a staff member"),
        "staff.update": _("Changed a staff member"),
        "staff.deactivate": _("Marked a staff member as no longer working there"),
        "staff.reactivate": _("Marked a staff member as working there again"),
        "staff.health_certificate.attach": _("Attached a health certificate scan"),
    }
    role_permissions = {
        Role.ADMIN: [*_REGISTRARS, "registry.add_staff", "registry.change_staff", "registry.view_full_id_number"],
        Role.AGENCY_HEAD: _REGISTRARS,
        Role.INSPECTOR: _REGISTRARS,
        Role.CASE_OFFICER: ["registry.view_staff"],
        Role.PRINCIPAL: _STAFF_KEEPERS,
        Role.DIRECTOR: _STAFF_KEEPERS,
        Role.OFFICER: _STAFF_KEEPERS,
    }

    @property
    def navigation(self):
        from shian.core.navigation import NavItem

        return [NavItem(_("Food businesses"), "operator-list", order=10)]
