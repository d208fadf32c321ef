"""Identifier rules of the food-business registry. Pure functions, no ORM.

Errors are for what is certainly wrong (format); warnings for what is suspicious but may be how the number
was really issued (check digits, categories, counties), as regulations.md §7 advises.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc

from .choices import OperatorCategory

# SC licence: food categories 01–31, additive categories 01–03 [S/R: regulations.md §7.2]
SC_FOOD_CATEGORIES = {f"{n:02d}" for n in range(1, 32)}
SC_ADDITIVE_CATEGORIES = {"01", "02", "03"}
# JY licence: first digit is the business format: 1 seller, 2 caterer, 3 canteen [R: regulations.md §7.3]
JY_FORMATS = {"1": "sales", "2": "catering", "3": "canteen"}
# Business formats that hold SC (production) licences
SC_CATEGORIES_OF_OPERATORS = {"production"}

SC_FORMAT = re.compile(r"SC[12][0-9]{13}")  # ASCII digits only (`\d` would take any script's), whole string
JY_FORMAT = re.compile(r"JY[123][0-9]{13}")
ORG_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_CODE_VALUES = {c: i for i, c in enumerate(ORG_CODE_CHARS)}
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# GB 32100-2015: 31 characters (no I, O, S, V, Z), weights 3^i mod 31 [V: regulations.md §7.1]
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARS)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


@dataclass
class Check:
    """The outcome of checking an identifier: errors reject it, warnings are shown but do not."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _mod11_10_steps() -> tuple[tuple[int, ...], ...]:
    """ISO 7064 MOD 11,10's step as a table: the next remainder for each (remainder, digit)."""
    return tuple(tuple(((p + d) % 10 or 10) * 2 % 11 for d in range(10)) for p in range(11))


_MOD11_10_STEPS = _mod11_10_steps()
_DIGIT_VALUES = {str(d): d for d in range(10)}


def mod11_10_ok(digits: str) -> bool:
    """ISO 7064 MOD 11,10 check digit, as GB/T 17710 [V: regulations.md §7.2, run on real numbers]."""
    p = 10
    for ch in digits[:-1]:
        p = _MOD11_10_STEPS[p][_DIGIT_VALUES[ch]]
    return (11 - p) % 10 == _DIGIT_VALUES[digits[-1]]


def mod11_10_check_digit(body: str) -> str:
    """The MOD 11,10 check digit that completes `body` (for generated and test numbers)."""
    return next(d for d in "0123456789" if mod11_10_ok(body + d))


def org_code_check_char(body: str) -> str:
    """GB 11714 organisation-code check character over 8 characters [V: regulations.md §7.1]."""
    total = sum(_ORG_CODE_VALUES[c] * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def check_credit_code(code: str) -> Check:
    """Unified social credit code (GB 32100-2015): python-stdnum checks format and check character (error);
    the embedded organisation code's own check failing is a warning (个体工商户 often carry placeholders)
    [V: regulations.md §7.1]."""
    result = Check()
    if not uscc_plainly_valid(code):
        try:
            uscc.validate(code)
        except Exception as exc:  # stdnum's ValidationError subclasses carry the reason
            result.errors.append(_("not a valid unified social credit code: %(reason)s") % {"reason": exc})
            return result
    org = code[8:17]
    if any(c not in _ORG_CODE_VALUES for c in org) or org_code_check_char(org[:8]) != org[8]:
        result.warnings.append(_("the embedded organisation code (characters 9–17) fails its GB 11714 check"))
    return result


def uscc_plainly_valid(code: str) -> bool:
    """A fast path of python-stdnum's `uscc.validate` for imports of a million rows: True only for a code
    stdnum accepts as it stands (18 characters, no separators). Anything else goes to stdnum, which stays the
    authority; a property test keeps the two in agreement."""
    if len(code) != 18 or not (code[:8].isascii() and code[:8].isdigit()) or code[17] not in _USCC_VALUES:
        return False
    try:
        total = sum(_USCC_VALUES[c] * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    except KeyError:
        return False
    return USCC_CHARS[-total % 31] == code[17]


def check_licence_number(number: str, *, county: str | None = None, category: str | None = None) -> Check:
    """SC (production) or JY (operation) licence number: strict format; check digit, food category, county
    and business format are warnings [S/V: regulations.md §7.2–7.3]."""
    result = Check()
    kind = number[:2]
    if kind == "SC" and SC_FORMAT.fullmatch(number):
        digits = number[2:]
        categories = SC_FOOD_CATEGORIES if digits[0] == "1" else SC_ADDITIVE_CATEGORIES
        if digits[1:3] not in categories:
            result.warnings.append(_("unknown food category %(code)s in an SC number") % {"code": digits[1:3]})
        place = digits[3:9]
    elif kind == "JY" and JY_FORMAT.fullmatch(number):
        digits = number[2:]
        place = digits[1:7]
    else:
        result.errors.append(_("a licence number is SC or JY followed by 14 digits (SC: 1 or 2 first; JY: 1, 2 or 3)"))
        return result
    if not mod11_10_ok(digits):
        result.warnings.append(_("the check digit (ISO 7064 MOD 11,10) does not match"))
    if county and place != county:
        result.warnings.append(
            _("the number's county code %(place)s differs from the business's county %(county)s")
            % {"place": place, "county": county}
        )
    encoded = jy_category(number)
    if encoded and category in JY_FORMATS.values() and encoded != category:
        result.warnings.append(
            _("the JY number encodes the business format %(encoded)s, not %(category)s")
            % {"encoded": OperatorCategory(encoded).label, "category": OperatorCategory(category).label}
        )
    if kind == "SC" and category and category not in SC_CATEGORIES_OF_OPERATORS:
        result.warnings.append(
            _("an SC licence is for producers, not for %(category)s") % {"category": OperatorCategory(category).label}
        )
    return result


def licence_kind(number: str) -> str:
    """ "SC" or "JY" from a licence number's prefix."""
    return number[:2]


def jy_category(number: str) -> str | None:
    """The business format a JY number encodes (sales, catering, canteen), if any [R: regulations.md §7.3]."""
    return JY_FORMATS.get(number[2:3]) if JY_FORMAT.fullmatch(number) else None


def check_id_number(number: str) -> Check:
    """Resident identity number (GB 11643): format, birth date and check character, by python-stdnum
    [V: regulations.md §7.5]."""
    result = Check()
    try:
        ric.validate(number)
    except Exception as exc:
        result.errors.append(_("not a valid resident identity number: %(reason)s") % {"reason": exc})
    return result


def mask_id_number(number: str) -> str:
    """The ID number with digits 11–14 hidden, as inspection forms show it [S: regulations.md §7.5]."""
    return number[:10] + "****" + number[14:] if len(number) == 18 else number


def mask_name(name: str) -> str:
    """A person's name as public pages show it: the surname (first character) and a star (王*)."""
    name = name.strip()
    return f"{name[:1]}*" if name else ""
