"""Reads of the core that are more than a filter. Every one starts from what the user may see."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .choices import Role
from .models import AuditEntry, Notification


def _model(label: str) -> type[Model]:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None


def visible_object(*, user, label: str, pk) -> Model:
    """The object `label` ("app.model") with `pk` if the user may see it; 404 otherwise (never 403, so
    nobody learns what exists outside their scope). Objects without a place are for administrators."""
    model = _model(label)
    if hasattr(model, "scope"):
        queryset = model.objects.visible_to(user)
    elif user.is_superuser or user.has_role(Role.ADMIN):
        queryset = model._default_manager.all()
    else:
        raise Http404
    try:
        return queryset.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def audit_timeline(*, user, label: str, pk) -> tuple[str, QuerySet[AuditEntry]]:
    """An object's name and its audit entries, newest first. A place-bound object: all its entries, if the
    user may see it. Any other object (a user account, a token): the entries of the audit log the user may
    read, so that every link in the log leads somewhere. 404 when there is nothing for this user."""
    model = _model(label)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False), object_id=str(pk)
    ).select_related("actor", "content_type")
    if hasattr(model, "scope") or user.is_superuser or user.has_role(Role.ADMIN):
        name = str(visible_object(user=user, label=label, pk=pk))
    elif user.has_perm("core.view_auditentry"):
        entries = entries & AuditEntry.objects.visible_to(user)
        latest = entries.order_by("-at", "-id").first()
        if latest is None:
            raise Http404
        name = latest.object_repr
    else:
        raise Http404
    return name, entries.order_by("-at", "-id")


def audit_log(*, user) -> QuerySet[AuditEntry]:
    """The audit log of the user's jurisdiction, for those whose role lets them read it."""
    if not user.has_perm("core.view_auditentry"):
        raise PermissionDenied
    return AuditEntry.objects.visible_to(user).select_related("actor", "content_type")


def inbox(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)
