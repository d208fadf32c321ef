"""Bulk import of food businesses from a bureau's licence database (CSV or XLSX).

One pass over the file, in one transaction: every row is validated and the good ones are upserted by
licence (or filing) number in chunks; at the end the transaction commits only if the import may be kept
(no bad row, or `partial`), and never in a dry run. So an interrupted import leaves nothing half-written,
and the report lists every bad row with its row number, column and reason.
"""

import csv
import datetime
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from shian.core.bulk import bulk_insert
from shian.core.choices import Role
from shian.core.models import Region
from shian.core.rules import region_code_range
from shian.core.services.audit import audit_entry, audit_record_many, snapshot

from .choices import (
    CANTEEN_KIND_NAMES_ZH,
    CATEGORY_NAMES_ZH,
    SPECIAL_FOOD_NAMES_ZH,
    ImportJobStatus,
    LicenceKind,
    OperatorCategory,
)
from .models import Filing, ImportJob, Licence, Operator
from .rules import check_credit_code, check_licence_number, mod11_10_check_digit


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the template's Chinese header: fixed, not translated, so a file means the same everywhere
    required: bool = False


COLUMNS = [
    Column("name", "名称", required=True),
    Column("credit_code", "统一社会信用代码", required=True),
    Column("licence_no", "许可证或备案编号", required=True),
    Column("category", "主体业态", required=True),
    Column("region_code", "行政区划代码", required=True),
    Column("address", "经营地址", required=True),
    Column("canteen_kind", "食堂类别"),
    Column("lat", "纬度"),
    Column("lon", "经度"),
    Column("legal_representative", "法定代表人"),
    Column("phone", "联系电话"),
    Column("licence_issued", "发证日期"),
    Column("licence_expires", "有效期至"),
    Column("floor_area", "经营面积（平方米）"),
    Column("daily_diners", "日均就餐人数"),
    Column("special_food", "特殊食品"),
]
HEADER_KEYS = {c.header: c.key for c in COLUMNS} | {c.key: c.key for c in COLUMNS}
REQUIRED = [c.key for c in COLUMNS if c.required]
# Operator fields an import may set, by the column that carries them.
OPERATOR_FIELDS = {
    "name": "name",
    "credit_code": "credit_code",
    "category": "category",
    "region_code": "region_id",
    "address": "address",
    "canteen_kind": "canteen_kind",
    "lat": "latitude",
    "lon": "longitude",
    "legal_representative": "legal_representative",
    "phone": "phone",
    "floor_area": "floor_area_m2",
    "daily_diners": "daily_diners",
    "special_food": "special_foods",
}
FILING_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,39}$")
CHUNK = 2000


def _lookup(names_zh: dict[str, list[str]]) -> dict[str, str]:
    """Codes and their Chinese names to codes."""
    return {code: code for code in names_zh} | {name: code for code, names in names_zh.items() for name in names}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    partial: bool = False

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def summary(self) -> str:
        return _(
            "%(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(rejected)s rejected, %(warnings)s warnings"
        ) % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": len(self.warnings),
        }


@dataclass
class ParsedRow:
    row: int
    number: str
    kind: str  # "SC", "JY" or "filing"
    operator: dict  # Operator field -> value, for the columns the file has
    issued_on: datetime.date | None = None
    expires_on: datetime.date | None = None


class FileError(Exception):
    """The file as a whole cannot be read (unknown format, no header, a required column missing)."""


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number as a spreadsheet shows it, {column key: raw value}) for each data row of a CSV or XLSX."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            yield from _rows(csv.reader(f))
    elif suffix == ".xlsx":
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            yield from _rows(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    else:
        raise FileError(_("Import a .csv or .xlsx file, not %(name)s.") % {"name": path.name})


def _rows(lines: Iterable[Iterable]) -> Iterator[tuple[int, dict[str, object]]]:
    lines = iter(lines)
    header = next(lines, None)
    if header is None:
        raise FileError(_("The file is empty."))
    keys = [HEADER_KEYS.get(str(cell).strip()) if cell is not None else None for cell in header]
    missing = [key for key in REQUIRED if key not in keys]
    if missing:
        raise FileError(_("Required columns are missing: %(columns)s") % {"columns": ", ".join(missing)})
    for number, line in enumerate(lines, start=2):
        values = {key: _cell(value) for key, value in zip(keys, line, strict=False) if key is not None}
        if any(v not in (None, "") for v in values.values()):
            yield number, values


def _cell(value):
    """A spreadsheet cell as the import reads it: whole numbers typed as numbers (codes, phones) as text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class RowValidator:
    """Turns raw rows into operator values, collecting every error and warning of each row."""

    def __init__(self, *, jurisdiction: str | None, columns: set[str]):
        self.counties = set(Region.objects.filter(level="county").values_list("code", flat=True))
        self.range = region_code_range(jurisdiction) if jurisdiction else None
        self.columns = columns
        self.categories = _lookup(CATEGORY_NAMES_ZH)
        self.canteen_kinds = _lookup(CANTEEN_KIND_NAMES_ZH)
        self.special_foods = _lookup(SPECIAL_FOOD_NAMES_ZH)
        self.seen: dict[str, int] = {}

    def __call__(self, row: int, raw: dict[str, object]) -> tuple[ParsedRow | None, list[RowError], list[RowError]]:
        errors: list[RowError] = []
        warnings: list[RowError] = []

        def error(column: str, message: str) -> None:
            errors.append(RowError(row, column, message))

        def text(key: str, limit: int) -> str:
            value = raw.get(key)
            value = "" if value is None else str(value).strip()
            if len(value) > limit:
                error(key, _("longer than %(limit)s characters") % {"limit": limit})
            return value

        values: dict[str, object] = {}
        for key in REQUIRED:
            if raw.get(key) in (None, ""):
                error(key, _("missing"))
        values["name"] = text("name", 200)
        credit_code = text("credit_code", 18).upper()
        values["credit_code"] = credit_code
        if credit_code:
            check = check_credit_code(credit_code)
            errors += [RowError(row, "credit_code", m) for m in check.errors]
            warnings += [RowError(row, "credit_code", m) for m in check.warnings]
        category_raw = text("category", 32)
        category = self.categories.get(category_raw)
        if category_raw and category is None:
            error("category", _("unknown business format %(value)s") % {"value": category_raw})
        values["category"] = category or ""
        region = text("region_code", 9)
        if region:
            if region not in self.counties:
                error("region_code", _("unknown county code %(code)s") % {"code": region})
            elif self.range and not (self.range[0] <= region < (self.range[1] or "~")):
                error("region_code", _("county %(code)s is outside your jurisdiction") % {"code": region})
        values["region_id"] = region
        values["address"] = text("address", 255)
        number = text("licence_no", 40).upper().replace(" ", "")
        kind = self._licence(row, number, category, region, errors, warnings)
        if "canteen_kind" in self.columns or category == OperatorCategory.CANTEEN:
            kind_raw = text("canteen_kind", 32)
            canteen_kind = self.canteen_kinds.get(kind_raw, "") if kind_raw else ""
            if kind_raw and not canteen_kind:
                error("canteen_kind", _("unknown canteen kind %(value)s") % {"value": kind_raw})
            elif category == OperatorCategory.CANTEEN and not canteen_kind:
                error("canteen_kind", _("a canteen needs its kind"))
            elif category and category != OperatorCategory.CANTEEN and canteen_kind:
                error("canteen_kind", _("only a canteen has a canteen kind"))
            values["canteen_kind"] = canteen_kind
        if "lat" in self.columns or "lon" in self.columns:
            lat, lon = (
                self._decimal(row, raw, "lat", errors, -90, 90, 6),
                self._decimal(row, raw, "lon", errors, -180, 180, 6),
            )
            if (lat is None) != (lon is None):
                error("lat" if lat is None else "lon", _("give both latitude and longitude, or neither"))
            values["latitude"], values["longitude"] = lat, lon
        for key in ("legal_representative", "phone"):
            if key in self.columns:
                values[OPERATOR_FIELDS[key]] = text(key, 64 if key == "legal_representative" else 32)
        if "floor_area" in self.columns:
            values["floor_area_m2"] = self._decimal(row, raw, "floor_area", errors, 0, 10**8, 2)
        if "daily_diners" in self.columns:
            values["daily_diners"] = self._integer(row, raw, "daily_diners", errors)
        if "special_food" in self.columns:
            values["special_foods"] = self._special_foods(row, raw, errors)
        issued = self._date(row, raw, "licence_issued", errors)
        expires = self._date(row, raw, "licence_expires", errors)
        if issued and expires and expires <= issued:
            error("licence_expires", _("the licence expires before it is issued"))
        if errors:
            return None, errors, warnings
        return ParsedRow(row, number, kind, values, issued, expires), errors, warnings

    def _licence(self, row, number, category, region, errors, warnings) -> str:
        if not number:
            return ""
        if number[:2] in LicenceKind.values:
            check = check_licence_number(number, county=region or None, category=category or None)
            errors += [RowError(row, "licence_no", m) for m in check.errors]
            warnings += [RowError(row, "licence_no", m) for m in check.warnings]
            kind = number[:2]
        elif category == OperatorCategory.SALES and FILING_NUMBER.match(number):
            kind = "filing"
        else:
            errors.append(RowError(row, "licence_no", _("malformed licence number %(value)s") % {"value": number}))
            return ""
        first = self.seen.setdefault(number, row)
        if first != row:
            errors.append(RowError(row, "licence_no", _("duplicate of row %(row)s in this file") % {"row": first}))
        return kind

    @staticmethod
    def _blank(value) -> bool:
        return value is None or (isinstance(value, str) and not value.strip())

    def _decimal(self, row, raw, key, errors, low, high, places) -> Decimal | None:
        value = raw.get(key)
        if self._blank(value):
            return None
        try:
            number = Decimal(str(value).strip()).quantize(Decimal(1).scaleb(-places))
        except InvalidOperation:
            errors.append(RowError(row, key, _("not a number: %(value)s") % {"value": value}))
            return None
        if not low <= number <= high:
            errors.append(RowError(row, key, _("out of range %(low)s…%(high)s") % {"low": low, "high": high}))
            return None
        return number

    def _integer(self, row, raw, key, errors) -> int | None:
        value = raw.get(key)
        if self._blank(value):
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            errors.append(RowError(row, key, _("not a whole number: %(value)s") % {"value": value}))
            return None
        if number < 0:
            errors.append(RowError(row, key, _("must not be negative")))
            return None
        return number

    def _date(self, row, raw, key, errors) -> datetime.date | None:
        value = raw.get(key)
        if self._blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip().replace("/", "-").replace(".", "-")
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            errors.append(RowError(row, key, _("bad date %(value)s (use YYYY-MM-DD)") % {"value": value}))
            return None

    def _special_foods(self, row, raw, errors) -> list[str]:
        value = raw.get("special_food")
        if self._blank(value):
            return []
        codes = []
        for part in re.split(r"[,，、;；\s]+", str(value).strip()):
            if not part:
                continue
            code = self.special_foods.get(part)
            if code is None:
                errors.append(RowError(row, "special_food", _("unknown special food %(value)s") % {"value": part}))
            elif code not in codes:
                codes.append(code)
        return sorted(codes)


class _Rollback(Exception):
    """Raised inside the import's transaction to undo it (dry run, or bad rows without `partial`)."""


def operators_import(
    *, path: Path, by=None, partial: bool = False, dry_run: bool = False, progress=None
) -> ImportReport:
    """Import operators from a CSV or XLSX file: upsert by licence or filing number (see the module text).
    `by` is the importing user; a regulator may only import into their jurisdiction. `progress(n)` is told
    how many rows were read since the last call."""
    report = ImportReport(dry_run=dry_run, partial=partial)
    rows = read_rows(path)
    first = next(rows, None)  # reads the header: a FileError comes out here, before anything is written
    if first is None:
        return report
    jurisdiction = by.jurisdiction_id if by is not None and not by.is_superuser else None
    # Every row carries every column of the header, so the first row tells which columns the file has.
    validator = RowValidator(jurisdiction=jurisdiction, columns=set(first[1]))
    try:
        with transaction.atomic():
            chunk: list[ParsedRow] = []
            for number, raw in _chain(first, rows):
                parsed, errors, warnings = validator(number, raw)
                report.errors += errors
                report.warnings += warnings
                if parsed is None:
                    report.rejected += 1
                else:
                    chunk.append(parsed)
                if len(chunk) >= CHUNK:
                    _write(chunk, by=by, report=report, columns=validator.columns)
                    chunk = []
                if progress is not None:
                    progress(1)
            if chunk:
                _write(chunk, by=by, report=report, columns=validator.columns)
            if dry_run or (report.errors and not partial):
                raise _Rollback
            report.written = True
    except _Rollback:
        report.written = False
    return report


def _chain(first, rows):
    yield first
    yield from rows


def _write(chunk: list[ParsedRow], *, by, report: ImportReport, columns: set[str]) -> None:
    """Upsert one chunk: find the operators the numbers already belong to, create the new ones, update the
    changed ones (with an audit entry each), count the unchanged."""
    numbers = [r.number for r in chunk]
    licences = {lic.number: lic for lic in Licence.objects.filter(number__in=numbers)}
    filings = {fil.number: fil for fil in Filing.objects.filter(number__in=numbers)}
    owner_ids = {x.operator_id for x in [*licences.values(), *filings.values()]}
    owners = Operator.objects.in_bulk(owner_ids)
    fields = sorted({OPERATOR_FIELDS[c] for c in columns if c in OPERATOR_FIELDS} | {"region_id"})
    new_operators, new_records, changed_operators, changed_licences, audits = [], [], [], [], []
    for row in chunk:
        record = licences.get(row.number) or filings.get(row.number)
        if record is None:
            operator = Operator(**row.operator)
            new_operators.append(operator)
            new_records.append((row, operator))
            continue
        operator = owners[record.operator_id]
        before = snapshot(operator)
        changed = [f for f in fields if f in row.operator and getattr(operator, f) != row.operator[f]]
        for f in changed:
            setattr(operator, f, row.operator[f])
        licence_changed = isinstance(record, Licence) and (record.issued_on, record.expires_on) != (
            row.issued_on,
            row.expires_on,
        )
        if licence_changed:
            record.issued_on, record.expires_on = row.issued_on, row.expires_on
            changed_licences.append(record)
        if changed:
            changed_operators.append(operator)
            audits.append(audit_entry(actor=by, action="operator.import.update", obj=operator, before=before))
        if changed or licence_changed:
            report.updated += 1
        else:
            report.unchanged += 1
    bulk_insert(Operator, new_operators)
    bulk_insert(
        Licence,
        [
            Licence(operator=op, kind=row.kind, number=row.number, issued_on=row.issued_on, expires_on=row.expires_on)
            for row, op in new_records
            if row.kind != "filing"
        ],
    )
    bulk_insert(
        Filing,
        [
            Filing(operator=op, number=row.number, filed_on=row.issued_on)
            for row, op in new_records
            if row.kind == "filing"
        ],
    )
    if changed_operators:
        Operator.objects.bulk_update(changed_operators, fields, batch_size=CHUNK)
    if changed_licences:
        Licence.objects.bulk_update(changed_licences, ["issued_on", "expires_on"], batch_size=CHUNK)
    audits += [audit_entry(actor=by, action="operator.import.create", obj=op) for op in new_operators]
    audit_record_many(audits)
    report.created += len(new_operators)


def template_workbook() -> bytes:
    """The downloadable import template: the Chinese headers and one example row."""
    from stdnum.cn import uscc

    credit_body = "91320508MA1NPB7Q3"
    licence_body = "JY2320508000001"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "食品经营主体"
    sheet.append([c.header for c in COLUMNS])
    sheet.append(
        [
            "姑苏区示范餐厅",
            credit_body + uscc.calc_check_digit(credit_body),
            licence_body + mod11_10_check_digit(licence_body[2:]),
            "餐饮服务提供者",
            "320508",
            "苏州市姑苏区人民路1号",
            "",
            "31.317000",
            "120.619000",
            "张三",
            "0512-66666666",
            "2024-01-15",
            "2029-01-14",
            "120",
            "150",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_job_create(*, upload, by, partial: bool, dry_run: bool) -> ImportJob:
    """Queue an uploaded file for import by the worker (the job runs after the upload commits)."""
    from .tasks import run_import_job

    suffix = Path(upload.name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError({"file": _("Import a .csv or .xlsx file, not %(name)s.") % {"name": upload.name}})
    with transaction.atomic():
        job = ImportJob(original_name=upload.name[:255], uploaded_by=by, partial=partial, dry_run=dry_run)
        job.file.save(f"import{suffix}", upload, save=False)
        job.save()
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def import_job_run(job: ImportJob) -> ImportJob:
    """Run a queued job: the import itself is one transaction; the job's own status is kept outside it."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING)
    try:
        with job.file.open("rb") as stored, tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"import{Path(job.file.name).suffix}"
            path.write_bytes(stored.read())
            report = operators_import(path=path, by=job.uploaded_by, partial=job.partial, dry_run=job.dry_run)
    except FileError as exc:
        job.status, job.summary = ImportJobStatus.FAILED, str(exc)[:255]
    else:
        job.status, job.summary, job.written = ImportJobStatus.DONE, report.summary()[:255], report.written
        job.counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
            "warnings": len(report.warnings),
        }
        job.problems = [["error", e.row, e.column, e.message] for e in report.errors] + [
            ["warning", w.row, w.column, w.message] for w in report.warnings
        ]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "summary", "written", "counts", "problems", "finished_at"])
    return job


def import_jobs(*, user):
    """The bulk imports a user started (administrators see everyone's)."""
    jobs = ImportJob.objects.select_related("uploaded_by")
    return jobs if user.is_superuser or user.has_role(Role.ADMIN) else jobs.filter(uploaded_by=user)
