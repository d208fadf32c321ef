"""Units of test results and limits, and how to read a lab's value. Pure: no ORM.

Every unit belongs to a dimension and has a factor to that dimension's base unit (mg/kg for mass fractions,
mg/L for concentrations, CFU/g …); two values compare only within one dimension. The list is closed on
purpose: these are the units of the Chinese food-safety standards (GB 2760, 2761, 2762, 2763, 4789, 5009)
and labs' usual spellings of them, with no density or dilution assumed between dimensions."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Unit:
    code: str
    dimension: str
    factor: Decimal  # multiply a value in this unit by factor to get the dimension's base unit


def _units() -> dict[str, Unit]:
    table = {
        "mass_fraction": {
            "g/kg": "1000",
            "mg/g": "1000",
            "g/100g": "10000",
            "%": "10000",
            "mg/100g": "10",
            "mg/kg": "1",
            "μg/g": "1",
            "ppm": "1",
            "μg/kg": "0.001",
            "ng/g": "0.001",
            "ppb": "0.001",
            "ng/kg": "0.000001",
        },
        "concentration": {
            "g/L": "1000",
            "g/100mL": "10000",
            "mg/mL": "1000",
            "mg/100mL": "10",
            "mg/L": "1",
            "μg/mL": "1",
            "μg/L": "0.001",
            "ng/mL": "0.001",
        },
        "cfu_g": {"CFU/g": "1"},
        "cfu_ml": {"CFU/mL": "1"},
        "mpn_g": {"MPN/g": "1", "MPN/100g": "0.01"},
        "mpn_ml": {"MPN/mL": "1", "MPN/100mL": "0.01"},
        "alcohol": {"%vol": "1"},
        "presence_25g": {"/25g": "1"},
        "presence_100g": {"/100g": "1"},
    }
    return {code: Unit(code, dim, Decimal(f)) for dim, codes in table.items() for code, f in codes.items()}


UNITS = _units()

_SPELLINGS = {
    "克/千克": "g/kg",
    "毫克/千克": "mg/kg",
    "微克/千克": "μg/kg",
    "纳克/克": "ng/g",
    "毫克/克": "mg/g",
    "克/升": "g/L",
    "毫克/升": "mg/L",
    "微克/升": "μg/L",
    "克/100克": "g/100g",
    "克/100毫升": "g/100mL",
    "毫克/100克": "mg/100g",
    "毫克/100毫升": "mg/100mL",
    "cfu/g": "CFU/g",
    "cfu/ml": "CFU/mL",
    "mpn/g": "MPN/g",
    "mpn/100g": "MPN/100g",
    "mpn/ml": "MPN/mL",
    "mpn/100ml": "MPN/100mL",
    "g/l": "g/L",
    "mg/l": "mg/L",
    "μg/l": "μg/L",
    "ng/ml": "ng/mL",
    "g/100ml": "g/100mL",
    "mg/ml": "mg/mL",
    "μg/ml": "μg/mL",
    "mg/100ml": "mg/100mL",
    "%vol": "%vol",
    "%(v/v)": "%vol",
    "%vol.": "%vol",
}
_BY_LOWER = {code.lower(): code for code in UNITS} | {k.lower(): v for k, v in _SPELLINGS.items()}


def unit_of(text: str) -> Unit | None:
    """The unit a lab wrote, in any usual spelling (μg/kg, ug/kg, µg/kg, 微克/千克, MG/KG); None if unknown."""
    key = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if key[:1] == "u" and "/" in key:
        key = "μ" + key[1:]
    code = _BY_LOWER.get(key.lower())
    return UNITS.get(code) if code else None


def convert(value: Decimal, source: Unit, target: Unit) -> Decimal | None:
    """`value` in `source` expressed in `target`; None when the two are of different dimensions."""
    if source.dimension != target.dimension:
        return None
    return value * source.factor / target.factor if source.factor != target.factor else value


@dataclass(frozen=True)
class Reading:
    """What a lab reported for one item: a value, or "not detected" (with the detection limit if it gave one)."""

    value: Decimal | None
    not_detected: bool = False
    lod: Decimal | None = None


class UnreadableValue(ValueError):
    """Why a value cannot be read: `code` is "empty", "not_a_number" or "negative"."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


_NOT_DETECTED = {"未检出", "nd", "n.d.", "n.d", "notdetected", "<lod", "未检测到", "阴性", "negative"}
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_POWER = re.compile(rf"^({_NUMBER})(?:[x×*]10\^?([-+]?\d+)|e([-+]?\d+))$", re.IGNORECASE)
_BELOW = re.compile(rf"^(?:[<＜]|小于|低于)({_NUMBER}(?:e[-+]?\d+)?)$", re.IGNORECASE)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def _number(text: str) -> Decimal:
    match = _POWER.match(text)
    if match:
        mantissa, exponent = match.group(1), match.group(2) or match.group(3)
        return Decimal(mantissa).scaleb(int(exponent))
    return Decimal(text)


def read_value(text: str) -> Reading:
    """Read a reported value: "0.05", "1.2×10³", "3.5E-2", "未检出", "ND", "<0.01" (not detected, detection limit
    0.01), "未检出(<0.01)". Raises UnreadableValue saying why."""
    cleaned = unicodedata.normalize("NFKC", str(text or "")).strip().replace(" ", "").translate(_SUPERSCRIPTS)
    if not cleaned:
        raise UnreadableValue("empty", "empty value")
    lowered = cleaned.lower()
    for prefix in ("未检出", "nd"):
        if lowered.startswith(prefix) and lowered[len(prefix) :].startswith("("):
            inner = lowered[len(prefix) + 1 :].rstrip(")")
            below = _BELOW.match(inner)
            if below:
                return Reading(None, True, _number(below.group(1)))
    if lowered in _NOT_DETECTED:
        return Reading(None, True)
    below = _BELOW.match(lowered)
    if below:
        return Reading(None, True, _number(below.group(1)))
    try:
        value = _number(lowered)
    except InvalidOperation:
        raise UnreadableValue("not_a_number", f"not a number: {text!r}") from None
    if not value.is_finite():
        raise UnreadableValue("not_a_number", f"not a number: {text!r}")
    if value < 0:
        raise UnreadableValue("negative", f"negative value: {text!r}")
    return Reading(value)
