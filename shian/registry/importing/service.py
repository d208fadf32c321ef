"""Bulk import of food businesses from a bureau's licence database (CSV or XLSX).

One pass over the file in one transaction: rows are validated a chunk at a time and each chunk's good rows
are upserted by licence (or filing) number (benchmarks/import_operators.py measures it; a validation thread
was tried and lost to the GIL: the writer, not validation, sets the pace). At the end the transaction
commits only if the import may be kept (no bad row, or `partial`), and never in a dry run: an interrupted
import leaves nothing half-written, and the report lists every bad row with its row number, column and reason.
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from shian.core.models import Region
from shian.core.rules import region_code_range

from .reading import read_rows
from .validation import ParsedRow, RowError, RowValidator
from .writing import ChunkWriter, ImportReport

CHUNK = 2000


@dataclass
class Batch:
    """Up to CHUNK validated rows: the good ones, and the errors and warnings of all of them."""

    rows: int
    valid: list[ParsedRow]
    rejected: int
    errors: list[RowError]
    warnings: list[RowError]


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
    validator = RowValidator(
        counties=set(Region.objects.filter(level="county").values_list("code", flat=True)),
        within=region_code_range(jurisdiction) if jurisdiction else None,
        columns=set(first[1]),  # every row has every column of the header
    )
    write = ChunkWriter(by=by, columns=validator.columns, report=report)
    try:
        with transaction.atomic():
            _check_constraints_per_statement()
            for batch in validated_batches(itertools.chain([first], rows), validator):
                report.rejected += batch.rejected
                report.errors += batch.errors
                report.warnings += batch.warnings
                if batch.valid:
                    write(batch.valid)
                if progress is not None:
                    progress(batch.rows)
            if dry_run or (report.errors and not partial):
                raise _Rollback
            report.written = True
    except _Rollback:
        report.written = False
    return report


def _check_constraints_per_statement() -> None:
    """Check foreign keys as each chunk is written rather than all at commit: the database does that work
    while the next chunk is validated, and keeps no queue of a million pending checks (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def validated_batches(rows, validator: RowValidator, *, size: int | None = None) -> Iterator[Batch]:
    """Batches of up to CHUNK validated rows."""
    rows = iter(rows)
    for chunk in iter(lambda: list(itertools.islice(rows, size or CHUNK)), []):
        yield _validate(chunk, validator)


def _validate(chunk, validator: RowValidator) -> Batch:
    batch = Batch(rows=len(chunk), valid=[], rejected=0, errors=[], warnings=[])
    for number, raw in chunk:
        parsed, errors, warnings = validator(number, raw)
        if warnings:
            batch.warnings += warnings
        if parsed is None:
            batch.rejected += 1
            batch.errors += errors
        else:
            batch.valid.append(parsed)
    return batch
