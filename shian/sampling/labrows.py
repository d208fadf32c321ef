"""Reading the rows a lab reports (from a form, a file or its own system): which analyte a name means, the
value, the unit and the detection limits, with every problem named so the row can be kept for review."""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models import Analyte
from .units import Reading, UnreadableValue, read_value, unit_of


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "").casefold()


class AnalyteIndex:
    """Analytes by code, Chinese and English name and every alias, ignoring case, width and spaces."""

    def __init__(self, entries):
        self._ids: dict[str, int] = {}
        for pk, code, name, name_en, aliases in entries:
            for text in (code, name, name_en, *(aliases or ())):
                if text:
                    self._ids.setdefault(_key(text), pk)

    @classmethod
    def load(cls) -> "AnalyteIndex":
        return cls(Analyte.objects.values_list("pk", "code", "name", "name_en", "aliases"))

    def find(self, text: str) -> int | None:
        return self._ids.get(_key(text))


@dataclass(frozen=True)
class LabRow:
    """One item of a lab report, as reported."""

    analyte: str
    value: str
    unit: str = ""
    lod: str = ""
    loq: str = ""
    method: str = ""


@dataclass
class ReadRow:
    row: LabRow
    analyte_id: int | None = None
    reading: Reading | None = None
    unit: str = ""
    lod: Decimal | None = None
    loq: Decimal | None = None
    problems: list[str] = field(default_factory=list)


_VALUE_PROBLEMS = {
    "empty": lambda text: _("no value"),
    "not_a_number": lambda text: _("the value %(value)s is not a number") % {"value": repr(text)},
    "negative": lambda text: _("the value %(value)s is negative") % {"value": repr(text)},
}


def _limit(text: str, label: str, problems: list[str]) -> Decimal | None:
    text = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number <= 0:
        problems.append(_("%(label)s %(value)s is not a positive number") % {"label": label, "value": repr(text)})
        return None
    return number


def read_row(row: LabRow, analytes: AnalyteIndex) -> ReadRow:
    read = ReadRow(row)
    read.analyte_id = analytes.find(row.analyte)
    if read.analyte_id is None:
        read.problems.append(_("unknown analyte %(analyte)s") % {"analyte": repr(row.analyte)})
    try:
        read.reading = read_value(row.value)
    except UnreadableValue as exc:
        read.problems.append(_VALUE_PROBLEMS[exc.code](row.value))
    if row.unit.strip():
        unit = unit_of(row.unit)
        if unit is None:
            read.problems.append(_("unknown unit %(unit)s") % {"unit": repr(row.unit)})
        else:
            read.unit = unit.code
    elif read.reading is not None and not read.reading.not_detected:
        read.problems.append(_("a detected value needs its unit"))
    read.lod = _limit(row.lod, _("limit of detection"), read.problems)
    read.loq = _limit(row.loq, _("limit of quantification"), read.problems)
    if read.reading is not None and read.lod is not None and read.reading.lod is None:
        read.reading = Reading(read.reading.value, read.reading.not_detected, read.lod)
    return read
