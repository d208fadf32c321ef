"""Reading an uploaded table (CSV or XLSX) by its columns: fixed Chinese headers or English keys."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the template's Chinese header: fixed, not translated, so a file means the same everywhere
    required: bool = False


class FileError(Exception):
    """The file as a whole cannot be read (unknown format, no header, a required column missing)."""


def read_rows(path: Path, columns: Sequence[Column]) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number as a spreadsheet shows it, {column key: raw value}) for each data row of a CSV or XLSX;
    every row has a value (maybe None) for each column of the header. The header is read at the first
    `next()`: a FileError comes out there."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            yield from _rows(csv.reader(f), columns, cell=None)
    elif suffix == ".xlsx":
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            yield from _rows(workbook.worksheets[0].iter_rows(values_only=True), columns, cell=_cell)
        finally:
            workbook.close()
    else:
        raise FileError(_("Import a .csv or .xlsx file, not %(name)s.") % {"name": path.name})


def _rows(lines: Iterable[Iterable], columns: Sequence[Column], cell) -> Iterator[tuple[int, dict[str, object]]]:
    header_keys = {c.header: c.key for c in columns} | {c.key: c.key for c in columns}
    lines = iter(lines)
    header = next(lines, None)
    if header is None:
        raise FileError(_("The file is empty."))
    keys = [header_keys.get(str(value).strip()) if value is not None else None for value in header]
    missing = [c.key for c in columns if c.required and c.key not in keys]
    if missing:
        raise FileError(_("Required columns are missing: %(columns)s") % {"columns": ", ".join(missing)})
    known = [(i, key) for i, key in enumerate(keys) if key is not None]
    for number, line in enumerate(lines, start=2):
        if cell is not None:
            line = [cell(value) for value in line]
        width = len(line)
        values = {key: line[i] if i < width else None for i, key in known}
        if any(v not in (None, "") for v in values.values()):
            yield number, values


def _cell(value):
    """A spreadsheet cell as an import reads it: whole numbers typed as numbers (codes, phones) as text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value
