"""The operational records (台账): which ones each kind of business keeps daily (a data file), the fields of each,
and the one reader that checks an entry, for the web form and the API alike. What a failed morning check or a
short retained sample means is decided by `rules`."""

import datetime
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import DisinfectionMethod, LogKind, Meal, Symptom, WasteKind


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"  # text, decimal, int, bool, choice, choices, time, staff
    required: bool = True
    choices: tuple = ()
    low: Decimal | None = None
    high: Decimal | None = None
    max_length: int = 200


MEALS = tuple(Meal.choices)
SPECS: dict[str, list[Field]] = {
    LogKind.MORNING_CHECK: [
        Field("staff", gettext_lazy("Worker"), "staff"),
        Field("temperature", gettext_lazy("Temperature (°C)"), "decimal", low=Decimal("34"), high=Decimal("43")),
        Field("symptoms", gettext_lazy("Symptoms"), "choices", required=False, choices=tuple(Symptom.choices)),
        Field("hand_wound", gettext_lazy("Wound on the hands"), "bool", required=False),
    ],
    LogKind.RETAINED_SAMPLE: [
        Field("meal", gettext_lazy("Meal"), "choice", choices=MEALS),
        Field("dish", gettext_lazy("Dish"), max_length=100),
        Field("grams", gettext_lazy("Quantity (g)"), "int", low=Decimal("1"), high=Decimal("5000")),
        Field("hours", gettext_lazy("Kept for (hours)"), "int", low=Decimal("1"), high=Decimal("720")),
        Field("kept_by", gettext_lazy("Kept by"), max_length=64),
    ],
    LogKind.DISINFECTION: [
        Field("items", gettext_lazy("What was disinfected"), max_length=200),
        Field("method", gettext_lazy("Method"), "choice", choices=tuple(DisinfectionMethod.choices)),
        Field("started", gettext_lazy("Started at"), "time"),
        Field("minutes", gettext_lazy("Minutes"), "int", low=Decimal("1"), high=Decimal("600")),
        Field("done_by", gettext_lazy("Done by"), max_length=64),
    ],
    LogKind.ACCOMPANIED_MEAL: [
        Field("meal", gettext_lazy("Meal"), "choice", choices=MEALS),
        Field("companion", gettext_lazy("Who ate with the pupils"), max_length=64),
        Field("position", gettext_lazy("Position"), max_length=64),
        Field("remarks", gettext_lazy("Remarks on the food"), required=False, max_length=500),
    ],
    LogKind.WASTE: [
        Field("waste", gettext_lazy("Kind"), "choice", choices=tuple(WasteKind.choices)),
        Field("kilograms", gettext_lazy("Quantity (kg)"), "decimal", low=Decimal("0"), high=Decimal("100000")),
        Field("collector", gettext_lazy("Collected by"), max_length=128),
        Field("contract", gettext_lazy("Collection contract"), required=False, max_length=64),
    ],
    LogKind.ADDITIVE: [
        Field("additive", gettext_lazy("Additive"), max_length=100),
        Field("food", gettext_lazy("Used in"), max_length=100),
        Field("grams", gettext_lazy("Amount (g)"), "decimal", low=Decimal("0"), high=Decimal("100000")),
        Field("used_by", gettext_lazy("Used by"), max_length=64),
    ],
    LogKind.MENU: [
        Field("meal", gettext_lazy("Meal"), "choice", choices=MEALS),
        Field("dishes", gettext_lazy("Dishes"), max_length=500),
    ],
}


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _read(field: Field, value, staff_ids: set[int]):
    """(value, error) of one field; the value is what the JSON column keeps."""
    empty = value is None or value == "" or value == []
    if empty:
        if field.type == "bool":
            return False, None
        if field.type == "choices":
            return [], None
        return None, (_("required") if field.required else None)
    if field.type == "bool":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on", "是"):
            return True, None
        if text in ("0", "false", "no", "off", "否"):
            return False, None
        return None, _("yes or no")
    if field.type in ("decimal", "int"):
        number = _decimal(value)
        if number is None or (field.type == "int" and number != number.to_integral_value()):
            return None, _("a whole number") if field.type == "int" else _("a number")
        if (field.low is not None and number < field.low) or (field.high is not None and number > field.high):
            return None, _("between %(low)s and %(high)s") % {"low": field.low, "high": field.high}
        return (int(number) if field.type == "int" else str(number)), None
    if field.type == "choice":
        allowed = {code for code, _label in field.choices}
        return (
            (value, None) if value in allowed else (None, _("one of %(codes)s") % {"codes": ", ".join(sorted(allowed))})
        )
    if field.type == "choices":
        values = value if isinstance(value, list) else [value]
        allowed = {code for code, _label in field.choices}
        unknown = [v for v in values if v not in allowed]
        return (
            (sorted(set(values)), None)
            if not unknown
            else (None, _("unknown: %(codes)s") % {"codes": ", ".join(map(str, unknown))})
        )
    if field.type == "staff":
        pk = _decimal(value)
        if pk is None or int(pk) not in staff_ids:
            return None, _("no worker %(value)s on this business's staff") % {"value": value}
        return int(pk), None
    if field.type == "time":
        try:
            return datetime.time.fromisoformat(str(value).strip()).strftime("%H:%M"), None
        except ValueError:
            return None, _("a time such as 14:30")
    text = str(value).strip()
    if len(text) > field.max_length:
        return None, _("at most %(n)d characters") % {"n": field.max_length}
    return text, None


def read_entry(kind: str, raw: dict, *, staff_ids: set[int]) -> tuple[dict, dict[str, str]]:
    """The entry's data as stored, and field → reason for each bad field (unknown fields are refused too)."""
    fields = SPECS[kind]
    data, errors = {}, {}
    for field in fields:
        value, error = _read(field, raw.get(field.name), staff_ids)
        if error:
            errors[field.name] = error
        elif value is not None:
            data[field.name] = value
    known = {field.name for field in fields}
    for name in sorted(set(raw) - known):
        errors[name] = _("not a field of this record")
    return data, errors


def log_sectors() -> list[dict]:
    """The sector table of required records (shian/duty/data/logs.toml unless SHIAN_DUTY["LOG_SECTORS"] names
    another file); read when asked, so a replaced file takes effect without a restart."""
    return tomllib.loads(Path(settings.SHIAN_DUTY["LOG_SECTORS"]).read_text("utf-8"))["sectors"]


def required_logs(category: str, canteen_kind: str, sectors: list[dict] | None = None) -> list[str]:
    """The records a business of this format keeps daily: the most specific sector entry that names it."""
    sectors = log_sectors() if sectors is None else sectors
    matches = [s for s in sectors if category in s["applies_to"]]
    specific = [s for s in matches if canteen_kind and canteen_kind in s.get("canteen_kinds", [])]
    general = [s for s in matches if not s.get("canteen_kinds")]
    found = (specific or general or [{"daily": []}])[0]
    return [kind for kind in found["daily"] if kind in LogKind.values]
