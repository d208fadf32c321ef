"""The daily operational records (台账): entries written from a phone or pushed in batches by devices, each checked
field by field; a failed morning check sends the worker off duty and tells the managers at once."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from shian.core.services.audit import audit_entry, audit_record_many, snapshot
from shian.core.services.notifications import notify
from shian.core.services.recipients import managers_of
from shian.registry.models import Operator, Staff
from shian.registry.selectors import membership_role

from ..choices import DutyRole, LogKind
from ..logbook import read_entry
from ..models import LogEntry
from ..rules import morning_check_findings, retained_sample_findings

FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


@dataclass
class LogBatch:
    """What a batch did: the entries recorded, or every bad row with its reasons (then nothing is stored)."""

    recorded: list[LogEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _operator(value, visible) -> Operator | None:
    text = "" if value is None else str(value).strip()
    if text.isdigit() and len(text) < 18:
        return visible.filter(pk=int(text)).first()
    found = list(visible.filter(credit_code=text.upper())[:2])
    return found[0] if len(found) == 1 else None


def _moment(value, now: datetime.datetime) -> datetime.datetime | None:
    if value in (None, ""):
        return now
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        moment = parse_datetime(str(value).strip())
        if moment is None:
            return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _findings(kind: str, data: dict) -> list[str]:
    config = settings.SHIAN_DUTY
    if kind == LogKind.MORNING_CHECK:
        return morning_check_findings(
            temperature=Decimal(data["temperature"]),
            symptoms=data.get("symptoms", []),
            hand_wound=data.get("hand_wound", False),
            fever_from=Decimal(config["FEVER_FROM"]),
        )
    if kind == LogKind.RETAINED_SAMPLE:
        return retained_sample_findings(
            grams=data["grams"], hours=data["hours"], min_grams=config["SAMPLE_GRAMS"], min_hours=config["SAMPLE_HOURS"]
        )
    return []


def _read_row(raw: dict, *, by, visible, now, source, staff_cache) -> tuple[LogEntry | None, list[tuple[str, str]]]:
    """The entry of one row, or (field, reason) for each problem."""
    problems = []
    operator = _operator(raw.get("operator"), visible)
    if operator is None or membership_role(by, operator) is None:
        problems.append(("operator", _("no food business %(value)s of yours") % {"value": repr(raw.get("operator"))}))
    kind = raw.get("kind")
    if kind not in LogKind.values:
        problems.append(("kind", _("one of %(codes)s") % {"codes": ", ".join(LogKind.values)}))
    at = _moment(raw.get("at"), now)
    if at is None:
        problems.append(("at", _("a date and time such as 2026-03-02T07:45:00+08:00")))
    elif at > now + FUTURE_TOLERANCE:
        problems.append(("at", _("lies in the future")))
    data_raw = raw.get("data")
    if not isinstance(data_raw, dict):
        problems.append(("data", _("an object with the record's fields")))
    if problems:
        return None, problems
    if operator.pk not in staff_cache:
        staff_cache[operator.pk] = set(
            Staff.objects.filter(operator=operator, active=True).values_list("pk", flat=True)
        )
    data, errors = read_entry(kind, data_raw, staff_ids=staff_cache[operator.pk])
    if errors:
        return None, [(f"data.{name}", reason) for name, reason in errors.items()]
    entry = LogEntry(
        operator=operator,
        kind=kind,
        day=timezone.localdate(at),
        at=at,
        data=data,
        staff_id=data.get("staff"),
        findings=_findings(kind, data),
        recorded_by=by,
        source=source,
        device=str(raw.get("device") or "")[:64],
    )
    return entry, []


def _store(entries: list[LogEntry], by) -> list[LogEntry]:
    with transaction.atomic():
        recorded = LogEntry.objects.bulk_create(entries)
        audit_record_many([audit_entry(actor=by, action="duty.log.record", obj=e, after=snapshot(e)) for e in recorded])
        flagged = [e for e in recorded if e.findings]
        names = dict(Staff.objects.filter(pk__in={e.staff_id for e in flagged}).values_list("pk", "name"))
        for entry in flagged:
            _tell_managers(entry, worker=names.get(entry.staff_id, ""))
    return recorded


def log_entries_record(*, rows: Sequence[tuple[int, dict]], by, source: str = "api") -> LogBatch:
    """Record a batch of entries, rows as (row number, {operator, kind, at, device, data}): all of them or, if any
    row is bad, none, with every bad row's reasons. Failed morning checks and short samples go to the managers."""
    visible = Operator.objects.visible_to(by)
    now, batch, entries, staff_cache = timezone.now(), LogBatch(), [], {}
    for number, raw in rows:
        entry, problems = _read_row(raw, by=by, visible=visible, now=now, source=source, staff_cache=staff_cache)
        where = _("Row %(n)d") % {"n": number}
        batch.problems += [f"{where}: {name}: {reason}" for name, reason in problems]
        if entry is not None:
            entries.append(entry)
    if not rows:
        batch.problems.append(_("Record at least one entry."))
    if not batch.problems:
        batch.recorded = _store(entries, by)
    return batch


def log_entry_record(*, operator: Operator, kind: str, data: dict, by, source: str = "web") -> LogEntry:
    """Record one entry from the web form; a bad field raises ValidationError naming it."""
    raw = {"operator": operator.pk, "kind": kind, "data": data}
    entry, problems = _read_row(
        raw, by=by, visible=Operator.objects.visible_to(by), now=timezone.now(), source=source, staff_cache={}
    )
    if problems:
        raise ValidationError({name.removeprefix("data."): [reason] for name, reason in problems})
    return _store([entry], by)[0]


def _tell_managers(entry: LogEntry, *, worker: str) -> None:
    if entry.kind == LogKind.MORNING_CHECK:
        title = _("%(worker)s is off duty today: %(why)s") % {"worker": worker, "why": "、".join(entry.findings)}
    else:
        title = _("%(record)s of %(day)s: %(why)s") % {
            "record": entry.get_kind_display(),
            "day": entry.day.isoformat(),
            "why": "、".join(entry.findings),
        }
    notify(
        recipients=managers_of(entry.operator_id, [DutyRole.DIRECTOR, DutyRole.OFFICER]),
        kind=f"duty.log.{entry.kind}",
        title=title,
        link=reverse("duty-log", args=[entry.operator_id, entry.kind]),
        dedupe_key=f"duty.log:{entry.pk}",
    )
