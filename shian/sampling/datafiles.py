"""Sampling data files (TOML, docs/sampling-data.md): a food catalogue with its analytes and test items, and a
limit set. `parse_catalogue(data)` and `parse_limits(data)` turn a loaded file into plain specs or raise
`DataFileError` listing every problem with its place ("limit[12] (sorbic-acid in 0301): unknown unit"). Pure:
no ORM; whether referenced analytes and categories exist is checked by the loading service."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .choices import AnalyteGroup, CategoryLevel, LimitKind
from .units import unit_of

CONFIDENCE = ("V", "S", "R")
_CODE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_CATEGORY = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")


class DataFileError(ValueError):
    """A data file that cannot be loaded; `problems` lists each one with its place in the file."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class AnalyteSpec:
    code: str
    name: str
    name_en: str
    group: str
    cas: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ItemSpec:
    analyte: str
    method: str
    basis: str


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    level: int
    parent: str
    gb2760_code: str
    items: tuple[ItemSpec, ...]


@dataclass(frozen=True)
class CatalogueSpec:
    code: str
    version: int
    name: str
    year: int
    source: str
    confidence: str
    analytes: tuple[AnalyteSpec, ...]
    categories: tuple[CategorySpec, ...]


@dataclass(frozen=True)
class LimitSpec:
    analyte: str
    category: str
    kind: str
    value: Decimal | None
    unit: str
    expressed_as: str
    standard: str
    clause: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    confidence: str
    note: str


@dataclass(frozen=True)
class LimitSetSpec:
    code: str
    version: int
    title: str
    catalogue: str
    valid_from: datetime.date
    source: str
    confidence: str
    analytes: tuple[AnalyteSpec, ...]
    limits: tuple[LimitSpec, ...]


class _Reader:
    """Collects problems while reading fields, so that one pass reports all of them."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def text(self, table: dict, key: str, where: str, *, required: bool = True, pattern=None) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            self.problems.append(f"{where}.{key}: must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.problems.append(f"{where}.{key}: missing")
        elif value and pattern is not None and not pattern.fullmatch(value):
            self.problems.append(f"{where}.{key}: {value!r} is not a valid code")
        return value

    def integer(self, table: dict, key: str, where: str) -> int:
        value = table.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.problems.append(f"{where}.{key}: must be a whole number from 1")
            return 0
        return value

    def date(self, table: dict, key: str, where: str, *, default=None):
        value = table.get(key, default)
        if value is None or (isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)):
            return value
        self.problems.append(f"{where}.{key}: must be a date (YYYY-MM-DD)")
        return None

    def confidence(self, table: dict, where: str, default: str = "R") -> str:
        value = table.get("confidence", default)
        if value not in CONFIDENCE:
            self.problems.append(f"{where}.confidence: one of V, S, R")
            return default
        return value

    def list_of_text(self, table: dict, key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.append(f"{where}.{key}: must be a list of text")
            return ()
        return tuple(v.strip() for v in value if v.strip())

    def tables(self, data: dict, key: str) -> list[dict]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problems.append(f"{key}: must be an array of tables ([[{key}]])")
            return []
        return value

    def fail_if_any(self) -> None:
        if self.problems:
            raise DataFileError(self.problems)


def _analytes(read: _Reader, data: dict) -> tuple[AnalyteSpec, ...]:
    analytes, seen = [], set()
    for i, table in enumerate(read.tables(data, "analytes")):
        where = f"analytes[{i}]"
        code = read.text(table, "code", where, pattern=_CODE)
        group = table.get("group", "")
        if group not in AnalyteGroup.values:
            read.problems.append(f"{where}.group: one of {', '.join(AnalyteGroup.values)}")
        if code in seen:
            read.problems.append(f"{where}.code: {code} appears twice")
        seen.add(code)
        analytes.append(
            AnalyteSpec(
                code=code,
                name=read.text(table, "name", where),
                name_en=read.text(table, "name_en", where, required=False),
                group=group,
                cas=read.text(table, "cas", where, required=False),
                aliases=read.list_of_text(table, "aliases", where),
            )
        )
    return tuple(analytes)


def parse_catalogue(data: dict) -> CatalogueSpec:
    read = _Reader()
    head = data.get("catalogue")
    if not isinstance(head, dict):
        raise DataFileError(["catalogue: the file needs a [catalogue] table"])
    analytes = _analytes(read, data)
    categories: list[CategorySpec] = []
    levels: dict[str, int] = {}
    for i, table in enumerate(read.tables(data, "categories")):
        code = read.text(table, "code", f"categories[{i}]", pattern=_CATEGORY)
        where = f"categories[{i}] ({code})"
        level = table.get("level")
        parent = read.text(table, "parent", where, required=False)
        if level not in CategoryLevel.values:
            read.problems.append(f"{where}.level: 1 (大类), 2 (亚类), 3 (次亚类) or 4 (细类)")
        elif level == CategoryLevel.MAJOR and parent:
            read.problems.append(f"{where}.parent: a 大类 has no parent")
        elif level > CategoryLevel.MAJOR and levels.get(parent) != level - 1:
            read.problems.append(f"{where}.parent: must name a category of level {level - 1} listed before it")
        if code in levels:
            read.problems.append(f"{where}.code: appears twice")
        levels[code] = level
        items = []
        raw_items = table.get("items", [])
        if raw_items and level != CategoryLevel.DETAIL:
            read.problems.append(f"{where}.items: only a 细类 (level 4) lists test items")
        if not isinstance(raw_items, list) or not all(isinstance(v, dict) for v in raw_items):
            read.problems.append(f"{where}.items: must be a list of {{ analyte = …, method = … }}")
            raw_items = []
        item_codes = set()
        for j, item in enumerate(raw_items):
            spot = f"{where}.items[{j}]"
            analyte = read.text(item, "analyte", spot, pattern=_CODE)
            if analyte in item_codes:
                read.problems.append(f"{spot}.analyte: {analyte} listed twice")
            item_codes.add(analyte)
            method = read.text(item, "method", spot, required=False)
            items.append(ItemSpec(analyte, method, read.text(item, "basis", spot, required=False)))
        categories.append(
            CategorySpec(
                code=code,
                name=read.text(table, "name", where),
                name_en=read.text(table, "name_en", where, required=False),
                level=level if level in CategoryLevel.values else 0,
                parent=parent,
                gb2760_code=read.text(table, "gb2760", where, required=False),
                items=tuple(items),
            )
        )
    if not categories:
        read.problems.append("categories: the catalogue lists no category")
    spec = CatalogueSpec(
        code=read.text(head, "code", "catalogue", pattern=_CODE),
        version=read.integer(head, "version", "catalogue"),
        name=read.text(head, "name", "catalogue"),
        year=read.integer(head, "year", "catalogue"),
        source=read.text(head, "source", "catalogue", required=False),
        confidence=read.confidence(head, "catalogue"),
        analytes=analytes,
        categories=tuple(categories),
    )
    read.fail_if_any()
    return spec


def _decimal(read: _Reader, value, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        read.problems.append(f"{where}.value: must be a number")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        read.problems.append(f"{where}.value: {value!r} is not a number")
        return None
    if not number.is_finite() or number <= 0:
        read.problems.append(f"{where}.value: must be above zero")
        return None
    return number


def parse_limits(data: dict) -> LimitSetSpec:
    read = _Reader()
    head = data.get("limits")
    if not isinstance(head, dict):
        raise DataFileError(["limits: the file needs a [limits] table"])
    valid_from = read.date(head, "valid_from", "limits")
    if valid_from is None:
        read.problems.append("limits.valid_from: missing")
    confidence = read.confidence(head, "limits")
    analytes = _analytes(read, data)
    limits, seen = [], set()
    for i, table in enumerate(read.tables(data, "limit")):
        analyte = read.text(table, "analyte", f"limit[{i}]", pattern=_CODE)
        category = read.text(table, "category", f"limit[{i}]", required=False)
        if category == "*":
            category = ""
        where = f"limit[{i}] ({analyte} in {category or 'every food'})"
        kind = table.get("kind", LimitKind.MAX)
        if kind not in LimitKind.values:
            read.problems.append(f"{where}.kind: one of {', '.join(LimitKind.values)}")
        value = _decimal(read, table.get("value"), where)
        if kind in (LimitKind.MAX, LimitKind.MIN) and value is None and "value" not in table:
            read.problems.append(f"{where}.value: a {kind} limit needs a value")
        if kind in (LimitKind.NOT_DETECTED, LimitKind.NOT_PERMITTED) and value is not None:
            read.problems.append(f"{where}.value: a {kind} limit has no value")
        unit_text = read.text(table, "unit", where)
        unit = unit_of(unit_text)
        if unit_text and unit is None:
            read.problems.append(f"{where}.unit: unknown unit {unit_text!r}")
        start = read.date(table, "valid_from", where, default=valid_from)
        end = read.date(table, "valid_to", where)
        if start and end and end <= start:
            read.problems.append(f"{where}.valid_to: must be after valid_from")
        key = (analyte, category, start)
        if key in seen:
            read.problems.append(f"{where}: a second limit for the same analyte, food and date")
        seen.add(key)
        limits.append(
            LimitSpec(
                analyte=analyte,
                category=category,
                kind=kind,
                value=value,
                unit=unit.code if unit else "",
                expressed_as=read.text(table, "expressed_as", where, required=False),
                standard=read.text(table, "standard", where),
                clause=read.text(table, "clause", where, required=False),
                valid_from=start,
                valid_to=end,
                confidence=read.confidence(table, where, default=confidence),
                note=read.text(table, "note", where, required=False),
            )
        )
    if not limits:
        read.problems.append("limit: the file lists no limit")
    spec = LimitSetSpec(
        code=read.text(head, "code", "limits", pattern=_CODE),
        version=read.integer(head, "version", "limits"),
        title=read.text(head, "title", "limits"),
        catalogue=read.text(head, "catalogue", "limits", pattern=_CODE),
        valid_from=valid_from,
        source=read.text(head, "source", "limits", required=False),
        confidence=confidence,
        analytes=analytes,
        limits=tuple(limits),
    )
    read.fail_if_any()
    return spec
