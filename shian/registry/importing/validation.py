"""Validating import rows: each raw row becomes operator values, or every error of that row; warnings
(suspicious but possibly how a number was really issued) never reject a row. The validator is given what it
checks against (the counties, the importer's jurisdiction) and reads no database itself."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..choices import CANTEEN_KIND_NAMES_ZH, CATEGORY_NAMES_ZH, SPECIAL_FOOD_NAMES_ZH, LicenceKind, OperatorCategory
from ..rules import check_credit_code, check_licence_number
from .reading import REQUIRED

FILING_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,39}$")
SPECIAL_FOOD_SEPARATORS = re.compile(r"[,，、;；\s]+")
LICENCE_KINDS = frozenset(LicenceKind.values)
MICRO = Decimal("0.000001")
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
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


@dataclass(slots=True)
class ParsedRow:
    row: int
    number: str
    kind: str  # "SC", "JY" or "filing"
    operator: dict  # Operator attname -> value, for the columns the file has
    issued_on: datetime.date | None = None
    expires_on: datetime.date | None = None


def _lookup(names_zh: dict[str, list[str]]) -> dict[str, str]:
    """Codes and their Chinese names to codes."""
    return {code: code for code in names_zh} | {name: code for code, names in names_zh.items() for name in names}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class RowValidator:
    """Turns raw rows into operator values, collecting every error and warning of each row.
    `counties`: the county codes that exist; `within`: the [low, high) code range the importer may write to."""

    CATEGORIES = _lookup(CATEGORY_NAMES_ZH)
    CANTEEN_KINDS = _lookup(CANTEEN_KIND_NAMES_ZH)
    SPECIAL_FOODS = _lookup(SPECIAL_FOOD_NAMES_ZH)

    def __init__(self, *, counties: set[str], within: tuple[str, str | None] | None, columns: set[str]):
        self.counties = counties
        self.within = (within[0], within[1] or "~") if within else None
        self.columns = columns
        self.seen: dict[str, int] = {}

    def __call__(self, row: int, raw: dict[str, object]) -> tuple[ParsedRow | None, list[RowError], list[RowError]]:
        errors: list[RowError] = []
        warnings: list[RowError] = []
        columns = self.columns

        def error(column: str, message: str) -> None:
            errors.append(RowError(row, column, message))

        def text(key: str, limit: int) -> str:
            value = _text(raw.get(key))
            if len(value) > limit:
                error(key, _("longer than %(limit)s characters") % {"limit": limit})
            return value

        for key in REQUIRED:
            if raw.get(key) in (None, ""):
                error(key, _("missing"))
        values: dict[str, object] = {"name": text("name", 200)}
        credit_code = values["credit_code"] = text("credit_code", 18).upper()
        if credit_code:
            check = check_credit_code(credit_code)
            errors += [RowError(row, "credit_code", m) for m in check.errors]
            warnings += [RowError(row, "credit_code", m) for m in check.warnings]
        category_raw = text("category", 32)
        category = self.CATEGORIES.get(category_raw)
        if category_raw and category is None:
            error("category", _("unknown business format %(value)s") % {"value": category_raw})
        values["category"] = category or ""
        region = values["region_id"] = text("region_code", 9)
        if region:
            if region not in self.counties:
                error("region_code", _("unknown county code %(code)s") % {"code": region})
            elif self.within and not (self.within[0] <= region < self.within[1]):
                error("region_code", _("county %(code)s is outside your jurisdiction") % {"code": region})
        values["address"] = text("address", 255)
        number = text("licence_no", 40).upper().replace(" ", "")
        kind = self._licence(row, number, category, region, errors, warnings)
        if "canteen_kind" in columns or category == OperatorCategory.CANTEEN:
            values["canteen_kind"] = self._canteen_kind(text("canteen_kind", 32), category, error)
        if "lat" in columns or "lon" in columns:
            lat = self._decimal(row, raw, "lat", errors, -90, 90, MICRO)
            lon = self._decimal(row, raw, "lon", errors, -180, 180, MICRO)
            if (lat is None) != (lon is None):
                error("lat" if lat is None else "lon", _("give both latitude and longitude, or neither"))
            values["latitude"], values["longitude"] = lat, lon
        if "legal_representative" in columns:
            values["legal_representative"] = text("legal_representative", 64)
        if "phone" in columns:
            values["phone"] = text("phone", 32)
        if "floor_area" in columns:
            values["floor_area_m2"] = self._decimal(row, raw, "floor_area", errors, 0, 10**8, CENT)
        if "daily_diners" in columns:
            values["daily_diners"] = self._integer(row, raw, "daily_diners", errors)
        if "special_food" in columns:
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
        if number[:2] in LICENCE_KINDS:
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

    def _canteen_kind(self, value: str, category: str | None, error) -> str:
        canteen_kind = self.CANTEEN_KINDS.get(value, "") if value else ""
        if value and not canteen_kind:
            error("canteen_kind", _("unknown canteen kind %(value)s") % {"value": value})
        elif category == OperatorCategory.CANTEEN and not canteen_kind:
            error("canteen_kind", _("a canteen needs its kind"))
        elif category and category != OperatorCategory.CANTEEN and canteen_kind:
            error("canteen_kind", _("only a canteen has a canteen kind"))
        return canteen_kind

    @staticmethod
    def _decimal(row, raw, key, errors, low, high, step: Decimal) -> Decimal | None:
        value = _text(raw.get(key))
        if not value:
            return None
        try:
            number = Decimal(value).quantize(step)
        except InvalidOperation:
            errors.append(RowError(row, key, _("not a number: %(value)s") % {"value": value}))
            return None
        if not low <= number <= high:
            errors.append(RowError(row, key, _("out of range %(low)s…%(high)s") % {"low": low, "high": high}))
            return None
        return number

    @staticmethod
    def _integer(row, raw, key, errors) -> int | None:
        value = _text(raw.get(key))
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            errors.append(RowError(row, key, _("not a whole number: %(value)s") % {"value": value}))
            return None
        if number < 0:
            errors.append(RowError(row, key, _("must not be negative")))
            return None
        return number

    @staticmethod
    def _date(row, raw, key, errors) -> datetime.date | None:
        value = raw.get(key)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
        except ValueError:
            errors.append(RowError(row, key, _("bad date %(value)s (use YYYY-MM-DD)") % {"value": value}))
            return None

    def _special_foods(self, row, raw, errors) -> list[str]:
        value = _text(raw.get("special_food"))
        codes = []
        for part in SPECIAL_FOOD_SEPARATORS.split(value):
            if not part:
                continue
            code = self.SPECIAL_FOODS.get(part)
            if code is None:
                errors.append(RowError(row, "special_food", _("unknown special food %(value)s") % {"value": part}))
            elif code not in codes:
                codes.append(code)
        return sorted(codes)
