"""Reads of the core that are more than a filter. Every one starts from what the user may see."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .choices import Role
from .models import AuditEntry, Notification


def visible_object(*, user, label: str, pk) -> Model:
    """The object `label` ("app.model") with `pk` if the user may see it; 404 otherwise (never 403, so
    nobody learns what exists outside their scope)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
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


def audit_timeline(*, user, obj: Model) -> QuerySet[AuditEntry]:
    """Every audit entry of an object the caller has already shown the user may see."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return (
        AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor", "content_type")
        .order_by("-at", "-id")
    )


def audit_log(*, user) -> QuerySet[AuditEntry]:
    """The audit log of the user's jurisdiction, for those whose role lets them read it."""
    if not user.has_perm("core.view_auditentry"):
        raise PermissionDenied
    return AuditEntry.objects.visible_to(user).select_related("actor", "content_type")


def inbox(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)
