from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "shian.registry"
    label = "registry"
    verbose_name = _("Food businesses")
    default_auto_field = "django.db.models.BigAutoField"
    api_scopes = {"operators:read": _("Read food businesses")}
    audit_actions = {
        "operator.create": _("Registered a food business"),
        "operator.update": _("Changed a food business"),
        "operator.membership.grant": _("Gave a user access to a food business"),
    }

    @property
    def navigation(self):
        from shian.core.navigation import NavItem

        return [NavItem(_("Food businesses"), "operator-list", order=10)]
