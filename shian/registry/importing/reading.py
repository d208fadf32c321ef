"""Reading an import file: its columns (the template's Chinese headers or English keys) and its data rows."""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook


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


class FileError(Exception):
    """The file as a whole cannot be read (unknown format, no header, a required column missing)."""


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number as a spreadsheet shows it, {column key: raw value}) for each data row of a CSV or XLSX;
    every row has a value (maybe None) for each column of the header. The header is read at the first
    `next()`: a FileError comes out there."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            yield from _rows(csv.reader(f), cell=None)
    elif suffix == ".xlsx":
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            yield from _rows(workbook.worksheets[0].iter_rows(values_only=True), cell=_cell)
        finally:
            workbook.close()
    else:
        raise FileError(_("Import a .csv or .xlsx file, not %(name)s.") % {"name": path.name})


def _rows(lines: Iterable[Iterable], cell) -> Iterator[tuple[int, dict[str, object]]]:
    lines = iter(lines)
    header = next(lines, None)
    if header is None:
        raise FileError(_("The file is empty."))
    keys = [HEADER_KEYS.get(str(value).strip()) if value is not None else None for value in header]
    missing = [key for key in REQUIRED if key not in keys]
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
    """A spreadsheet cell as the import reads it: whole numbers typed as numbers (codes, phones) as text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value
