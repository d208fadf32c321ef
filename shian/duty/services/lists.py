"""Risk-control lists: the shipped sector templates, a business adopting one, revising it and putting a version
in force."""

import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shian.core.services.audit import audit_record, snapshot
from shian.registry.choices import CanteenKind, OperatorCategory
from shian.registry.models import Operator

from ..choices import Frequency, ListStatus, RecordsOn, RiskLevel
from ..models import RiskControlList, RiskPoint

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "lists"
POINT_FIELDS = ("number", "stage", "risk", "hazard", "level", "measure", "owner", "frequency", "photo", "question")
_TEXT_LIMITS = {"number": 16, "stage": 64, "risk": 255, "owner": 64, "check": 255}
# The template files name the daily question `check`, as the forms do (检查事项); the model calls it `question`.
_FILE_KEYS = {"question": "check"}


@dataclass
class TemplateProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _template_problems(data: dict) -> list[TemplateProblem]:
    problems = []

    def need(where, ok, message):
        if not ok:
            problems.append(TemplateProblem(where, message))

    for key in ("code", "name", "version", "applies_to", "records_on", "points"):
        need(key, key in data, _("missing"))
    need("version", isinstance(data.get("version"), int) and data.get("version", 0) >= 1, _("a whole number from 1"))
    need("records_on", data.get("records_on") in RecordsOn.values, _("every_day or working_days"))
    need("applies_to", set(data.get("applies_to", [])) <= set(OperatorCategory.values), _("unknown business format"))
    need("canteen_kinds", set(data.get("canteen_kinds", [])) <= set(CanteenKind.values), _("unknown canteen kind"))
    numbers = set()
    for index, point in enumerate(data.get("points", []), start=1):
        where = f"points[{index}]"
        for key in ("number", "stage", "risk", "level", "measure", "owner", "check"):
            need(f"{where}.{key}", str(point.get(key, "")).strip(), _("missing"))
        for key, limit in _TEXT_LIMITS.items():
            need(
                f"{where}.{key}",
                len(str(point.get(key, ""))) <= limit,
                _("longer than %(n)d characters") % {"n": limit},
            )
        need(f"{where}.level", point.get("level") in RiskLevel.values, _("high, medium or low"))
        need(f"{where}.frequency", point.get("frequency", "daily") in Frequency.values, _("daily, weekly or monthly"))
        need(f"{where}.number", point.get("number") not in numbers, _("number used twice"))
        numbers.add(point.get("number"))
    return problems


def _points(control_list: RiskControlList, rows: list[dict]) -> None:
    RiskPoint.objects.bulk_create(
        RiskPoint(control_list=control_list, order=order, **{key: row[key] for key in POINT_FIELDS if key in row})
        for order, row in enumerate(rows, start=1)
    )


def _from_file(point: dict) -> dict:
    return {
        field: point[_FILE_KEYS.get(field, field)] for field in POINT_FIELDS if _FILE_KEYS.get(field, field) in point
    }


@transaction.atomic
def template_load(*, data: dict, by=None) -> tuple[RiskControlList, bool]:
    """Load a sector template (TOML format: shian/duty/data/lists/README.md). A version already loaded is left as
    it is; a bad file raises ValidationError listing every problem and stores nothing."""
    problems = _template_problems(data)
    if problems:
        raise ValidationError([str(p) for p in problems])
    existing = RiskControlList.objects.templates().filter(code=data["code"], version=data["version"]).first()
    if existing is not None:
        return existing, False
    template = RiskControlList.objects.create(
        code=data["code"],
        name=data["name"],
        version=data["version"],
        status=ListStatus.IN_FORCE,
        records_on=data["records_on"],
        applies_to=data["applies_to"],
        canteen_kinds=data.get("canteen_kinds", []),
        source=data.get("source", ""),
        confidence=data.get("confidence", ""),
        notes=data.get("notes", ""),
        created_by=by,
    )
    _points(template, [_from_file(point) for point in data["points"]])
    audit_record(actor=by, action="duty.template.load", obj=template)
    return template, True


def templates_load_shipped(*, by=None) -> list[tuple[RiskControlList, bool]]:
    return [
        template_load(data=tomllib.loads(path.read_text("utf-8")), by=by) for path in sorted(SHIPPED.glob("*.toml"))
    ]


def template_for(operator: Operator) -> RiskControlList | None:
    """The newest template for the business's format, one naming its canteen kind first."""
    candidates = [
        t for t in RiskControlList.objects.templates().order_by("-version") if operator.category in t.applies_to
    ]
    specific = [t for t in candidates if t.canteen_kinds and operator.canteen_kind in t.canteen_kinds]
    general = [t for t in candidates if not t.canteen_kinds]
    return (specific or general or [None])[0]


def _next_version(operator: Operator) -> int:
    return (RiskControlList.objects.filter(operator=operator).aggregate(v=Max("version"))["v"] or 0) + 1


def _copy(source: RiskControlList, *, operator: Operator, by) -> RiskControlList:
    copy = RiskControlList.objects.create(
        operator=operator,
        code=source.code,
        name=source.name,
        version=_next_version(operator),
        status=ListStatus.DRAFT,
        records_on=source.records_on,
        source=source.source,
        confidence=source.confidence,
        notes=source.notes,
        based_on=source,
        created_by=by,
    )
    _points(copy, list(source.points.values(*POINT_FIELDS)))
    return copy


@transaction.atomic
def control_list_adopt(*, operator: Operator, template: RiskControlList, by) -> RiskControlList:
    """Copy a sector template as the business's draft list (the next version of its own)."""
    if not template.is_template:
        raise ValidationError(_("Only a template can be adopted."))
    if RiskControlList.objects.filter(operator=operator, status=ListStatus.DRAFT).exists():
        raise ValidationError(_("Finish or discard the draft list first."))
    draft = _copy(template, operator=operator, by=by)
    audit_record(actor=by, action="duty.list.adopt", obj=draft)
    return draft


@transaction.atomic
def control_list_revise(*, control_list: RiskControlList, by) -> RiskControlList:
    """Start a revision: a draft copy of the list in force, as the next version."""
    if control_list.status != ListStatus.IN_FORCE or control_list.is_template:
        raise ValidationError(_("Only the list in force can be revised."))
    if RiskControlList.objects.filter(operator=control_list.operator_id, status=ListStatus.DRAFT).exists():
        raise ValidationError(_("Finish or discard the draft list first."))
    draft = _copy(control_list, operator=control_list.operator, by=by)
    audit_record(actor=by, action="duty.list.revise", obj=draft)
    return draft


def _require_draft(control_list: RiskControlList) -> None:
    if control_list.status != ListStatus.DRAFT or control_list.is_template:
        raise ValidationError(_("Only a draft list can be changed."))


@transaction.atomic
def control_list_update(*, control_list: RiskControlList, by, name: str, records_on: str) -> RiskControlList:
    _require_draft(control_list)
    before = snapshot(control_list)
    control_list.name, control_list.records_on = name, records_on
    control_list.full_clean()
    control_list.save(update_fields=["name", "records_on"])
    audit_record(actor=by, action="duty.list.update", obj=control_list, before=before)
    return control_list


@transaction.atomic
def risk_point_save(*, control_list: RiskControlList, by, point: RiskPoint | None = None, **fields) -> RiskPoint:
    """Add a risk point to a draft list or change one of its points."""
    _require_draft(control_list)
    if point is None:
        last = control_list.points.aggregate(o=Max("order"))["o"] or 0
        point, before = RiskPoint(control_list=control_list, order=last + 1), None
    else:
        before = snapshot(point)
    for name, value in fields.items():
        setattr(point, name, value)
    point.full_clean(validate_constraints=False)
    if control_list.points.filter(number=point.number).exclude(pk=point.pk).exists():
        raise ValidationError({"number": [_("Another risk point has this number.")]})
    point.save()
    audit_record(actor=by, action="duty.point.save", obj=point, before=before)
    return point


@transaction.atomic
def risk_point_remove(*, point: RiskPoint, by) -> None:
    _require_draft(point.control_list)
    audit_record(actor=by, action="duty.point.remove", obj=point, before=snapshot(point), after={})
    point.delete()


@transaction.atomic
def control_list_discard(*, control_list: RiskControlList, by) -> None:
    _require_draft(control_list)
    audit_record(actor=by, action="duty.list.discard", obj=control_list, before=snapshot(control_list), after={})
    control_list.delete()


@transaction.atomic
def control_list_put_in_force(*, control_list: RiskControlList, by, on: datetime.date) -> RiskControlList:
    """Put a draft in force from day `on`; the version it replaces is superseded. Daily checks already started on
    the old version keep it."""
    _require_draft(control_list)
    if not control_list.points.filter(frequency=Frequency.DAILY).exists():
        raise ValidationError(_("A list needs at least one risk point checked daily."))
    current = RiskControlList.objects.filter(operator=control_list.operator_id, status=ListStatus.IN_FORCE).first()
    if current is not None:
        before = snapshot(current)
        current.status = ListStatus.SUPERSEDED
        current.save(update_fields=["status"])
        audit_record(actor=by, action="duty.list.supersede", obj=current, before=before)
    before = snapshot(control_list)
    control_list.status = ListStatus.IN_FORCE
    control_list.in_force_from = on
    control_list.save(update_fields=["status", "in_force_from"])
    audit_record(actor=by, action="duty.list.in_force", obj=control_list, before=before)
    return control_list
