import csv
import gzip
import io
from dataclasses import dataclass
from importlib import resources

from django.core.exceptions import ValidationError
from django.db import transaction

from ..choices import RegionLevel
from ..models import Region
from ..tabular import Column, FileError, read_rows
from .audit import audit_record, snapshot

SOURCE_GBT2260 = "GB/T 2260 (MCA 2021)"
SOURCE_NBS_TOWNS = "NBS 2023"


@dataclass
class RegionLoadSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def _rows(filename: str) -> list[dict]:
    data = resources.files("shian.core").joinpath("data/regions", filename).read_bytes()
    if filename.endswith(".gz"):
        data = gzip.decompress(data)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _shipped_regions(*, towns: bool) -> tuple[list[tuple[str, str, RegionLevel, str, str]], int]:
    """(code, name, level, parent code, source) in top-down order, and how many towns were skipped."""
    provinces = [(r["code"], r["name"]) for r in _rows("province.csv")]
    cities = [(r["code"], r["name"]) for r in _rows("city.csv")]
    counties = [(r["code"], r["name"]) for r in _rows("area.csv")]
    known = {code for code, _ in provinces + cities}
    out = [(code, name, RegionLevel.PROVINCE, "", SOURCE_GBT2260) for code, name in provinces]
    out += [(code, name, RegionLevel.CITY, code[:2] + "0000", SOURCE_GBT2260) for code, name in cities]
    for code, name in counties:
        parent = code[:4] + "00" if code[:4] + "00" in known else code[:2] + "0000"
        out.append((code, name, RegionLevel.COUNTY, parent, SOURCE_GBT2260))
    skipped = 0
    if towns:
        county_codes = {code for code, _ in counties}
        for row in _rows("streets-nbs2023.csv.gz"):
            if row["areaCode"] in county_codes:
                out.append((row["code"], row["name"], RegionLevel.TOWN, row["areaCode"], SOURCE_NBS_TOWNS))
            else:
                skipped += 1
    return out, skipped


@transaction.atomic
def regions_load(*, towns: bool = False) -> RegionLoadSummary:
    """Load the shipped GB/T 2260 codes (and NBS towns); running it again changes nothing."""
    wanted, skipped = _shipped_regions(towns=towns)
    existing = {r.code: r for r in Region.objects.all()}
    summary = RegionLoadSummary(skipped=skipped)
    new, changed = [], []
    for code, name, level, parent, source in wanted:
        region = existing.get(code)
        if region is None:
            new.append(Region(code=code, name=name, level=level, parent_id=parent or None, source=source))
        elif (region.name, region.level, region.parent_id or "", region.source) != (
            name,
            level,
            parent,
            source,
        ):
            region.name, region.level, region.parent_id, region.source = name, level, parent or None, source
            changed.append(region)
        else:
            summary.unchanged += 1
    Region.objects.bulk_create(new, batch_size=2000)
    Region.objects.bulk_update(changed, ["name", "level", "parent", "source"], batch_size=2000)
    summary.created, summary.updated = len(new), len(changed)
    return summary


def region_populations_load(*, path, by=None) -> int:
    """Set resident populations from a CSV (columns `code,population`; optional `year`, kept as the source), in
    one transaction: every bad row is reported with its number and nothing is stored. Returns the rows set."""
    columns = [
        Column("code", "行政区划代码", required=True),
        Column("population", "常住人口", required=True),
        Column("year", "年份"),
    ]
    try:
        rows = list(read_rows(path, columns))
    except FileError as exc:
        raise ValidationError(str(exc)) from exc
    known = {r.code: r for r in Region.objects.filter(code__in=[str(raw["code"] or "").strip() for _n, raw in rows])}
    problems, updates = [], []
    for number, raw in rows:
        code, text = str(raw["code"] or "").strip(), str(raw["population"] or "").strip().replace(",", "")
        region = known.get(code)
        if region is None:
            problems.append(f"row {number}: no region {code!r}")
        elif not text.isdigit():
            problems.append(f"row {number}: population {text!r} is not a whole number")
        else:
            updates.append((region, int(text), str(raw.get("year") or "").strip()))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for region, population, year in updates:
            before = snapshot(region)
            region.population = population
            if year:
                region.source = f"population {year}"[:64]
            region.save(update_fields=["population", "source"])
            audit_record(actor=by, action="region.population", obj=region, before=before, after=snapshot(region))
    return len(updates)
