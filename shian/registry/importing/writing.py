"""Writing validated import rows: upsert by licence or filing number, one chunk at a time, inside the import's
transaction. New operators go in as plain values (COPY on PostgreSQL), never as model instances; existing ones
are compared as values and only the changed ones are loaded, updated and audited."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.bulk import insert_rows
from shian.core.services.audit import audit_entry, audit_record_inserted, audit_record_many, snapshot

from ..models import Filing, Licence, Operator
from .validation import ParsedRow, RowError

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


class ChunkWriter:
    """Upserts chunks of valid rows for one import and counts what it did in the report."""

    def __init__(self, *, by, columns: set[str], report: ImportReport):
        self.by = by
        self.report = report
        # The fields the file sets; the county is always among them
        self.fields = sorted({OPERATOR_FIELDS[c] for c in columns if c in OPERATOR_FIELDS} | {"region_id"})

    def __call__(self, chunk: list[ParsedRow]) -> None:
        if not chunk:
            return
        numbers = [row.number for row in chunk]
        licences = {
            number: StoredLicence(pk, operator_id, (issued, expires))
            for number, pk, operator_id, issued, expires in Licence.objects.filter(number__any_of=numbers).values_list(
                "number", "pk", "operator_id", "issued_on", "expires_on"
            )
        }
        filings = dict(Filing.objects.filter(number__any_of=numbers).values_list("number", "operator_id"))
        new, existing = [], []
        for row in chunk:
            if row.number in licences:
                existing.append((row, licences[row.number].operator_id))
            elif row.number in filings:
                existing.append((row, filings[row.number]))
            else:
                new.append(row)
        self._create(new)
        self._update(existing, licences)

    def _create(self, rows: list[ParsedRow]) -> None:
        operators = [row.operator for row in rows]
        insert_rows(Operator, operators)
        insert_rows(
            Licence,
            [
                {
                    "operator_id": operator["id"],
                    "kind": row.kind,
                    "number": row.number,
                    "issued_on": row.issued_on,
                    "expires_on": row.expires_on,
                }
                for row, operator in zip(rows, operators, strict=True)
                if row.kind != "filing"
            ],
        )
        insert_rows(
            Filing,
            [
                {"operator_id": operator["id"], "number": row.number, "filed_on": row.issued_on}
                for row, operator in zip(rows, operators, strict=True)
                if row.kind == "filing"
            ],
        )
        audit_record_inserted(
            actor=self.by,
            action="operator.import.create",
            model=Operator,
            rows=operators,
            describe=lambda operator: (operator["name"], operator["region_id"]),
        )
        self.report.created += len(rows)

    def _update(self, rows: list[tuple[ParsedRow, int]], licences: dict[str, "StoredLicence"]) -> None:
        """Compare existing operators (and their licence dates) with the file as values; load, change and
        audit only what differs. A number registered to a business the importer may not see is a bad row."""
        if not rows:
            return
        fields = self.fields
        operators = Operator.objects if self.by is None else Operator.objects.visible_to(self.by)
        ids = {pk for _row, pk in rows}
        stored = {values["id"]: values for values in operators.filter(pk__any_of=ids).values("id", *fields)}
        changed_operators: dict[int, dict] = {}
        changed_licences: dict[int, tuple] = {}
        for row, pk in rows:
            if pk not in stored:
                self.report.rejected += 1
                self.report.errors.append(
                    RowError(row.row, "licence_no", _("registered to a business outside your jurisdiction"))
                )
                continue
            changes = {f: row.operator[f] for f in fields if f in row.operator and stored[pk][f] != row.operator[f]}
            if changes:
                changed_operators[pk] = changes
            licence = licences.get(row.number)
            dates_changed = licence is not None and licence.dates != (row.issued_on, row.expires_on)
            if dates_changed:
                changed_licences[licence.pk] = (row.issued_on, row.expires_on)
            if changes or dates_changed:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        audits = self._update_operators(changed_operators) + self._update_licences(changed_licences)
        audit_record_many(audits)

    def _update_operators(self, changes_by_pk: dict[int, dict]) -> list:
        if not changes_by_pk:
            return []
        operators = Operator.objects.in_bulk(changes_by_pk)
        audits, now = [], timezone.now()
        for pk, changes in changes_by_pk.items():
            operator = operators[pk]
            before = snapshot(operator)
            for name, value in changes.items():
                setattr(operator, name, value)
            operator.updated_at = now
            audits.append(audit_entry(actor=self.by, action="operator.import.update", obj=operator, before=before))
        Operator.objects.bulk_update(operators.values(), [*self.fields, "updated_at"])
        return audits

    def _update_licences(self, dates_by_pk: dict[int, tuple]) -> list:
        if not dates_by_pk:
            return []
        licences = Licence.objects.select_related("operator").in_bulk(dates_by_pk)
        audits = []
        for pk, (issued, expires) in dates_by_pk.items():
            licence = licences[pk]
            before = snapshot(licence)
            licence.issued_on, licence.expires_on = issued, expires
            audits.append(audit_entry(actor=self.by, action="licence.import.update", obj=licence, before=before))
        Licence.objects.bulk_update(licences.values(), ["issued_on", "expires_on"])
        return audits


class StoredLicence(NamedTuple):
    """A licence already registered under a number the file carries."""

    pk: int
    operator_id: int
    dates: tuple  # (issued_on, expires_on)
