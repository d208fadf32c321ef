"""Units of measure as EPCIS writes them: UN/ECE Recommendation 20 codes (KGM, CT …), from what a Chinese
ledger or form says (kg, 公斤, 箱 …)."""

import re

UNECE = {
    "kg": "KGM",
    "千克": "KGM",
    "公斤": "KGM",
    "g": "GRM",
    "克": "GRM",
    "斤": "KGM",  # converted below: half a kilogram
    "t": "TNE",
    "吨": "TNE",
    "l": "LTR",
    "升": "LTR",
    "ml": "MLT",
    "毫升": "MLT",
    "箱": "CT",
    "件": "H87",
    "个": "H87",
    "只": "H87",
    "头": "H87",
    "袋": "BG",
    "包": "PA",
    "瓶": "BO",
    "盒": "BX",
    "桶": "BJ",
    "罐": "CA",
    "托": "PX",
}
_FACTOR = {"斤": 0.5}
_CODE = re.compile(r"^[A-Z0-9]{2,3}$")


def uom(unit: str) -> tuple[str, float] | None:
    """(UN/ECE code, factor to multiply the quantity by) for a unit, or None when it is not one we know."""
    text = unit.strip()
    if _CODE.match(text):
        return text, 1.0
    code = UNECE.get(text.lower()) or UNECE.get(text)
    return (code, _FACTOR.get(text, 1.0)) if code else None
