"""Bulk import of food businesses from a bureau's licence database (CSV or XLSX).

One pass over the file in one transaction: every row is validated, and the good ones are upserted by licence
(or filing) number CHUNK at a time. The database sets the pace (benchmarks/import_operators.py compares the
import with the database storing the same rows by itself). At the end the transaction commits only if the
import may be kept (no bad row, or `partial`), and never in a dry run: an interrupted import leaves nothing
half-written, and the report lists every bad row with its row number, column and reason.
"""

import itertools
from pathlib import Path

from django.db import connection, transaction

from shian.core.models import Region
from shian.core.rules import region_code_range

from .reading import read_rows
from .validation import ParsedRow, RowValidator
from .writing import ChunkWriter, ImportReport

CHUNK = 2000


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
            chunk: list[ParsedRow] = []
            read = 0
            for number, raw in itertools.chain([first], rows):
                parsed, errors, warnings = validator(number, raw)
                report.warnings += warnings
                if parsed is None:
                    report.rejected += 1
                    report.errors += errors
                else:
                    chunk.append(parsed)
                read += 1
                if len(chunk) == CHUNK:
                    write(chunk)
                    chunk = []
                if progress is not None and read == CHUNK:
                    progress(read)
                    read = 0
            write(chunk)
            if progress is not None and read:
                progress(read)
            if dry_run or (report.errors and not partial):
                raise _Rollback
            report.written = True
    except _Rollback:
        report.written = False
    return report


def _check_constraints_per_statement() -> None:
    """Check foreign keys as each chunk is written rather than all at commit, so that the database keeps no
    queue of a million pending checks to run at the end (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
