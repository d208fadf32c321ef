from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shian.core"
    label = "core"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"
    api_scopes = {
        "regions:read": _("Read regions and agencies"),
        "audit:read": _("Read audit trails"),
        "evidence:read": _("Read evidence"),
        "evidence:write": _("Upload evidence"),
    }

    audit_actions = {
        "user.create": _("Created a user account"),
        "region.population": _("Set a region's resident population"),
        "api_token.create": _("Issued an API token"),
        "api_token.revoke": _("Revoked an API token"),
        "evidence.upload": _("Uploaded evidence"),
        "calendar.notice.load": _("Loaded a holiday notice"),
    }

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules
        from django_tasks.signals import task_finished, task_started

        from . import lookups  # noqa: F401 (registers `__any_of`)
        from .context import job_finished, job_started
        from .services.roles import ensure_roles

        post_migrate.connect(ensure_roles)
        task_started.connect(job_started)
        task_finished.connect(job_finished)
        autodiscover_modules("ticks")
        autodiscover_modules("demo")
