from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AuditSource
from .scoping import Scope, ScopedManager


class Change(NamedTuple):
    field: str
    label: str
    before: object
    after: object


def _display(field, value):
    """A stored value as people read it: the label of a choice, else the value."""
    if field is not None and field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    return value


class AuditEntry(models.Model):
    """One change to regulated data: who, when, what, before and after, from where. Written by services in
    the same transaction as the change; never edited. An append-only log written a million rows at a time
    by imports: its object type and region are references the ORM protects, without database foreign keys
    that would check every entry."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,  # core_audit_object_idx starts with it
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # core_audit_region_idx starts with it
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=AuditSource.choices)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    scope = Scope(region="region")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        # Plain b-trees only (no `LIKE 'x%'` twins): every index costs each audited write, imports above all.
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="core_audit_object_idx"),
            models.Index(fields=["region", "-at"], name="core_audit_region_idx"),
            models.Index(fields=["request_id"], name="core_audit_request_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """The action in words, as the app that records it names it in `audit_actions`; else its code."""
        from django.apps import apps

        for config in apps.get_app_configs():
            label = getattr(config, "audit_actions", {}).get(self.action)
            if label is not None:
                return str(label)
        return self.action

    @property
    def changes(self) -> list["Change"]:
        """Each field that differs, with its label and choice labels where the model has them."""
        before, after = self.before or {}, self.after or {}
        model = self.content_type.model_class()
        fields = {f.attname: f for f in model._meta.concrete_fields} if model is not None else {}
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        return [
            Change(
                field=k,
                label=str(fields[k].verbose_name) if k in fields else k,
                before=_display(fields.get(k), before.get(k)),
                after=_display(fields.get(k), after.get(k)),
            )
            for k in changed
        ]
