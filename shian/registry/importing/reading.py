"""The columns of an operator import file (the template's Chinese headers or English keys)."""

from collections.abc import Iterator
from pathlib import Path

from shian.core.tabular import Column, FileError
from shian.core.tabular import read_rows as read_table

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
REQUIRED = [c.key for c in COLUMNS if c.required]

__all__ = ["COLUMNS", "REQUIRED", "FileError", "read_rows"]


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """The data rows of an operator import file (see `shian.core.tabular.read_rows`)."""
    return read_table(path, COLUMNS)
