import datetime
import decimal
import functools
import uuid
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from ..bulk import insert_rows
from ..context import client_ip_var, request_id_var, source_var
from ..models import AuditEntry, signed_in


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
        attname: value if to_json is None or value is None else to_json(value)
        for name, attname, to_json in _json_plan(type(obj))
        if name not in exclude and attname not in exclude
        for value in (getattr(obj, attname),)
    }


def snapshot_row(model: type[models.Model], row: dict) -> dict:
    """`snapshot` of a row held as {attname: value} (see `insert_rows`), without a model instance."""
    return {
        attname: value if to_json is None or value is None else to_json(value)
        for _, attname, to_json in _json_plan(model)
        if attname != "password"
        for value in (row[attname],)
    }


# Fields whose values are JSON as they are
_JSON_NATIVE = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


@functools.cache
def _json_plan(model: type[models.Model]) -> list[tuple[str, str, Callable | None]]:
    """Each concrete field's name and attname, with the conversion its values need to be JSON (None: none)."""
    return [(f.name, f.attname, _to_json(f.target_field if f.is_relation else f)) for f in model._meta.concrete_fields]


def _to_json(field: models.Field) -> Callable | None:
    if isinstance(field, models.DateField | models.TimeField):  # DateTimeField is a DateField
        return _isoformat
    if isinstance(field, models.DecimalField | models.UUIDField):
        return str
    return None if isinstance(field, _JSON_NATIVE) else json_value


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
    actor = signed_in(actor)
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
    AuditEntry.objects.bulk_create(entries)


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
