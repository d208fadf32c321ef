"""Checklist template files (监督检查要点表) as TOML (docs/inspection.md has the format): `parse_checklist(data)`
returns the template's fields and its items, or raises ChecklistError listing every problem with its place."""

import re
from decimal import Decimal, InvalidOperation

from shian.registry.choices import OperatorCategory, SpecialFood

from .choices import Sector

_CODE = re.compile(r"[a-z0-9][a-z0-9_-]*")


class ChecklistError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def parse_checklist(data: dict) -> tuple[dict, list[dict]]:
    """(template fields, item fields in order) from a loaded checklist file."""
    problems: list[str] = []

    def need(table: dict, key: str, where: str, kind):
        value = table.get(key)
        if value is None or (kind is not bool and value == ""):
            problems.append(f"{where}{key}: missing")
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            problems.append(f"{where}{key}: must be a {kind.__name__}")
        return value

    code, version = need(data, "code", "", str), need(data, "version", "", int)
    if isinstance(code, str) and not _CODE.fullmatch(code):
        problems.append("code: lower-case letters, digits, '-' and '_' only")
    sector = need(data, "sector", "", str)
    if isinstance(sector, str) and sector not in Sector.values:
        problems.append(f"sector: one of {', '.join(Sector.values)}")
    categories = need(data, "categories", "", list) or []
    if unknown := set(categories) - set(OperatorCategory.values):
        problems.append(f"categories: unknown {sorted(unknown)}")
    special_foods = data.get("special_foods", [])
    if unknown := set(special_foods) - set(SpecialFood.values):
        problems.append(f"special_foods: unknown {sorted(unknown)}")
    if data.get("confidence", "R") not in ("V", "S", "R"):
        problems.append("confidence: one of V, S, R")

    items, seen = [], set()
    for s, section in enumerate(need(data, "sections", "", list) or []):
        where = f"sections[{s}]."
        section_code, title = need(section, "code", where, str), need(section, "title", where, str)
        for i, item in enumerate(need(section, "items", where, list) or []):
            at = f"{where}items[{i}]."
            item_code, text = need(item, "code", at, str), need(item, "text", at, str)
            key = need(item, "key", at, bool)
            try:
                points = Decimal(str(item.get("points")))
                if points < 0 or points >= 1000:
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(f"{at}points: a number from 0 to 999")
                points = Decimal(0)
            if item_code in seen:
                problems.append(f"{at}code: {item_code} appears twice")
            seen.add(item_code)
            items.append(
                {
                    "section_code": section_code,
                    "section_title": title,
                    "article": section.get("article", ""),
                    "code": item_code,
                    "text": text,
                    "key": bool(key),
                    "points": points,
                    "evidence_expected": bool(item.get("evidence", False)),
                    "order": len(items) + 1,
                }
            )
    if not items and not problems:
        problems.append("sections: at least one item")
    if problems:
        raise ChecklistError(problems)
    template = {
        "code": code,
        "version": version,
        "name": data.get("name") or code,
        "sector": sector,
        "categories": categories,
        "special_foods": special_foods,
        "source": data.get("source", ""),
        "confidence": data.get("confidence", "R"),
        "notes": data.get("notes", ""),
    }
    return template, items
