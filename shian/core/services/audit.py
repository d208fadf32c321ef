import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from ..bulk import bulk_insert
from ..context import client_ip_var, request_id_var, source_var
from ..models import AuditEntry


def json_value(value):
    """A JSON-safe form of a field value (dates as ISO 8601, decimals and UUIDs as strings)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, exclude: tuple[str, ...] = ("password",)) -> dict:
    """The object's concrete field values (foreign keys as ids) for an audit before/after."""
    return {
        f.attname: json_value(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.name not in exclude and f.attname not in exclude
    }


def _region_of(obj: models.Model) -> str | None:
    scope = getattr(type(obj), "scope", None)
    if scope is None:
        return getattr(obj, "jurisdiction_id", None)
    *path, last = scope.region.split("__")
    target = obj
    for part in path:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)  # the code itself: no query for the region


def audit_entry(
    *, actor, action: str, obj: models.Model, before: dict | None = None, after: dict | None = None
) -> AuditEntry:
    """An unsaved audit entry for a change (for `audit_record_many`)."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=actor,
        actor_label=actor.display_name if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        region_id=_region_of(obj),
        before=before,
        after=snapshot(obj) if after is None else after,
        request_id=request_id_var.get(),
        source=source_var.get(),
        client_ip=client_ip_var.get(),
    )


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")


def audit_record(
    *, actor, action: str, obj: models.Model, before: dict | None = None, after: dict | None = None
) -> AuditEntry:
    """Record a change to regulated data. Must run inside the transaction that makes the change."""
    _require_transaction()
    entry = audit_entry(actor=actor, action=action, obj=obj, before=before, after=after)
    entry.save()
    return entry


def audit_record_many(entries: list[AuditEntry]) -> None:
    """Record many changes at once (imports), inside the transaction that makes them."""
    _require_transaction()
    bulk_insert(AuditEntry, entries)
