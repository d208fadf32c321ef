import datetime
import decimal
import functools
import uuid
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from ..bulk import bulk_insert, insert_rows
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


# Fields whose values are JSON as they are (the rest go through `json_value`)
_JSON_NATIVE = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def snapshot_row(model: type[models.Model], row: dict) -> dict:
    """`snapshot` of a row held as {attname: value} (see `insert_rows`), without a model instance."""
    names, convert = _snapshot_plan(model)
    snap = {name: row[name] for name in names}
    for name, to_json in convert:
        value = snap[name]
        if value is not None:
            snap[name] = to_json(value)
    return snap


@functools.cache
def _snapshot_plan(model: type[models.Model]) -> tuple[list[str], list[tuple[str, Callable]]]:
    """The attnames a snapshot holds, and for those whose values are not JSON as they are, the conversion."""
    fields = [f for f in model._meta.concrete_fields if f.attname != "password"]
    convert = []
    for f in fields:
        target = f.target_field if f.is_relation else f
        if isinstance(target, models.DateField | models.TimeField):  # DateTimeField is a DateField
            convert.append((f.attname, _isoformat))
        elif isinstance(target, models.DecimalField | models.UUIDField):
            convert.append((f.attname, str))
        elif not isinstance(target, _JSON_NATIVE):
            convert.append((f.attname, json_value))
    return [f.attname for f in fields], convert


def _isoformat(value) -> str:
    return value.isoformat()


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
    return AuditEntry(
        **_context(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        region_id=_region_of(obj),
        before=before,
        after=snapshot(obj) if after is None else after,
    )


def _context(actor) -> dict:
    """Who made the change and from where: the same for every entry of one request, job or command."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return {
        "actor": actor,
        "actor_label": actor.display_name if actor else "",
        "request_id": request_id_var.get(),
        "source": source_var.get(),
        "client_ip": client_ip_var.get(),
    }


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


def audit_record_inserted(*, actor, action: str, model: type[models.Model], rows: list[dict], describe) -> None:
    """Record the creation of rows inserted as values (`insert_rows`), one entry each with the row as its
    `after`; `describe(row)` gives the entry's (object text, region code). Inside the transaction that
    inserts them."""
    _require_transaction()
    context = _context(actor)
    actor = context.pop("actor")
    context["actor_id"] = actor.pk if actor else None
    content_type_id = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
    pk = model._meta.pk.attname
    entries = []
    for row in rows:
        text, region = describe(row)
        entries.append(
            context
            | {
                "action": action,
                "content_type_id": content_type_id,
                "object_id": str(row[pk]),
                "object_repr": text[:255],
                "region_id": region,
                "before": None,
                "after": snapshot_row(model, row),
            }
        )
    insert_rows(AuditEntry, entries)
