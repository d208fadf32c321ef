"""Roles as Django groups, and the permissions each carries. Apps add theirs with `role_permissions` on
their AppConfig ({role: ["app_label.codename", ...]})."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from ..choices import Role

CORE_ROLE_PERMISSIONS = {
    Role.ADMIN: [
        "core.view_auditentry",
        "core.view_ledgerentry",
        "core.add_apitoken",
        "core.view_apitoken",
        "core.change_apitoken",
        "core.add_holidaynotice",
        "core.view_evidence",
        "core.add_evidence",
    ],
    Role.AGENCY_HEAD: ["core.view_auditentry", "core.view_ledgerentry", "core.view_evidence"],
    Role.INSPECTOR: ["core.view_evidence", "core.add_evidence", "core.view_auditentry"],
    Role.CASE_OFFICER: ["core.view_evidence", "core.add_evidence", "core.view_auditentry"],
    Role.SAMPLING_OFFICER: ["core.view_evidence", "core.add_evidence"],
    Role.COMMITTEE_OFFICE: ["core.view_auditentry"],
    Role.LAB: [],
    Role.PRINCIPAL: ["core.view_evidence", "core.add_evidence"],
    Role.DIRECTOR: ["core.view_evidence", "core.add_evidence"],
    Role.OFFICER: ["core.view_evidence", "core.add_evidence"],
    Role.PUBLIC: [],
    Role.INTEGRATION: [],
}


def role_permissions() -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {role: set(perms) for role, perms in CORE_ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            merged.setdefault(role, set()).update(perms)
    return merged


def ensure_roles(sender=None, **kwargs) -> None:
    """Create one group per role and give it exactly its permissions. Runs after every migrate, once the
    last app has had its permissions created (each app's post_migrate creates its own)."""
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not None and sender is not with_models[-1]:
        return
    for role, perms in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for label in sorted(perms):
            app_label, codename = label.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
