"""Pure rules of the core: region codes and distances. No ORM, no settings."""

import math

from .choices import RegionLevel


def region_level(code: str) -> RegionLevel:
    """Level of a GB/T 2260 code: digits 1–2 province, 3–4 prefecture, 5–6 county; 9 digits a town [S: regs §7.4]."""
    if len(code) == 9:
        return RegionLevel.TOWN
    if len(code) != 6 or not code.isdigit():
        raise ValueError(f"not a GB/T 2260 region code: {code!r}")
    if code[2:] == "0000":
        return RegionLevel.PROVINCE
    if code[4:] == "00":
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def region_prefix(code: str) -> str:
    """The code prefix a region shares with everything under it (province `32`, city `3205`, county `320506`)."""
    return {
        RegionLevel.PROVINCE: code[:2],
        RegionLevel.CITY: code[:4],
        RegionLevel.COUNTY: code,
        RegionLevel.TOWN: code,
    }[region_level(code)]


def region_code_range(code: str) -> tuple[str, str | None]:
    """Codes inside region `code` as a half-open range [low, high) of strings: the prefix, and the prefix
    plus one. A range, unlike LIKE 'prefix%', uses a plain B-tree index on every database."""
    prefix = region_prefix(code)
    high = str(int(prefix) + 1).zfill(len(prefix))
    return prefix, (high if len(high) == len(prefix) else None)


def enclosing_codes(code: str) -> list[str]:
    """The 6-digit codes of the province, the city and the county a region lies in, itself included
    (320508 → 320000, 320500, 320508) [S: regs §7.4]."""
    codes = [code[:2] + "0000", code[:4] + "00", code[:6]]
    return sorted(set(codes[: {2: 1, 4: 2}.get(len(region_prefix(code)), 3)]))


def region_contains(outer: str, inner: str) -> bool:
    """Whether region `inner` lies within (or is) region `outer`."""
    return inner.startswith(region_prefix(outer))


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in metres on a 6,371 km sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))
