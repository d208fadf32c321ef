"""Loading sampling data files: food catalogues (categories, analytes, test items) and limit sets. Loading the
same file again changes nothing; other content under a loaded code and version is refused (a change is a new
version). Every problem of a bad file is reported at once and nothing of it is stored."""

import hashlib
import tomllib

from django.db import transaction

from shian.core.models import signed_in
from shian.core.services.audit import audit_record, snapshot

from ..datafiles import AnalyteSpec, DataFileError, parse_catalogue, parse_limits
from ..models import Analyte, FoodCatalogue, FoodCategory, Limit, LimitSet, TestItem


def _toml(content: bytes) -> dict:
    try:
        return tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError([f"not a TOML file: {exc}"]) from exc


def _analytes_save(specs: tuple[AnalyteSpec, ...], referenced: set[str], by) -> dict[str, Analyte]:
    """Create or update the analytes a file declares; every analyte it refers to must exist afterwards."""
    known = {a.code: a for a in Analyte.objects.filter(code__in=referenced | {s.code for s in specs})}
    for spec in specs:
        fields = {
            "name": spec.name,
            "name_en": spec.name_en,
            "group": spec.group,
            "cas": spec.cas,
            "aliases": list(spec.aliases),
        }
        analyte = known.get(spec.code)
        if analyte is None:
            known[spec.code] = analyte = Analyte.objects.create(code=spec.code, **fields)
            audit_record(actor=by, action="sampling.analyte.create", obj=analyte, after=snapshot(analyte))
        elif any(getattr(analyte, k) != v for k, v in fields.items()):
            before = snapshot(analyte)
            for k, v in fields.items():
                setattr(analyte, k, v)
            analyte.save()
            audit_record(
                actor=by, action="sampling.analyte.update", obj=analyte, before=before, after=snapshot(analyte)
            )
    missing = sorted(referenced - known.keys())
    if missing:
        raise DataFileError([f"unknown analyte {code}: declare it under [[analytes]]" for code in missing])
    return known


def _existing(model, code: str, version: int, digest: str):
    existing = model.objects.filter(code=code, version=version).first()
    if existing is not None and existing.sha256 != digest:
        raise DataFileError([f"{code} version {version} is already loaded with other content: give it a new version"])
    return existing


def catalogue_load(*, content: bytes, by=None) -> tuple[FoodCatalogue, bool]:
    """Load a food-catalogue file. Returns the catalogue and whether it was new."""
    spec = parse_catalogue(_toml(content))
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        existing = _existing(FoodCatalogue, spec.code, spec.version, digest)
        if existing is not None:
            return existing, False
        referenced = {item.analyte for category in spec.categories for item in category.items}
        analytes = _analytes_save(spec.analytes, referenced, by)
        catalogue = FoodCatalogue.objects.create(
            code=spec.code,
            version=spec.version,
            name=spec.name,
            year=spec.year,
            source=spec.source,
            confidence=spec.confidence,
            sha256=digest,
            loaded_by=signed_in(by),
        )
        saved: dict[str, FoodCategory] = {}
        items = []
        for order, c in enumerate(spec.categories):
            parent = saved.get(c.parent)
            saved[c.code] = category = FoodCategory.objects.create(
                catalogue=catalogue,
                code=c.code,
                name=c.name,
                name_en=c.name_en,
                level=c.level,
                parent=parent,
                lineage=[c.code, *(parent.lineage if parent else [])],
                gb2760_code=c.gb2760_code,
                order=order,
            )
            items += [
                TestItem(category=category, analyte=analytes[i.analyte], method=i.method, basis=i.basis, order=n)
                for n, i in enumerate(c.items)
            ]
        TestItem.objects.bulk_create(items)
        audit_record(
            actor=by,
            action="sampling.catalogue.load",
            obj=catalogue,
            after={"sha256": digest, "categories": len(saved), "test_items": len(items)},
        )
    return catalogue, True


def limits_load(*, content: bytes, by=None) -> tuple[LimitSet, bool]:
    """Load a limit-set file. Its categories must exist in the newest loaded version of its catalogue."""
    spec = parse_limits(_toml(content))
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        existing = _existing(LimitSet, spec.code, spec.version, digest)
        if existing is not None:
            return existing, False
        catalogue = FoodCatalogue.objects.filter(code=spec.catalogue).order_by("-version").first()
        if catalogue is None:
            raise DataFileError([f"limits.catalogue: no food catalogue {spec.catalogue} is loaded"])
        known = set(catalogue.categories.values_list("code", flat=True))
        problems = [
            f"limit[{i}] ({limit.analyte}): no category {limit.category} in {catalogue}"
            for i, limit in enumerate(spec.limits)
            if limit.category and limit.category not in known
        ]
        if problems:
            raise DataFileError(problems)
        analytes = _analytes_save(spec.analytes, {limit.analyte for limit in spec.limits}, by)
        limit_set = LimitSet.objects.create(
            code=spec.code,
            version=spec.version,
            title=spec.title,
            catalogue_code=spec.catalogue,
            valid_from=spec.valid_from,
            source=spec.source,
            confidence=spec.confidence,
            sha256=digest,
            loaded_by=signed_in(by),
        )
        Limit.objects.bulk_create(
            [
                Limit(
                    limit_set=limit_set,
                    analyte=analytes[s.analyte],
                    category_code=s.category,
                    kind=s.kind,
                    value=s.value,
                    unit=s.unit,
                    expressed_as=s.expressed_as,
                    standard=s.standard,
                    clause=s.clause,
                    valid_from=s.valid_from,
                    valid_to=s.valid_to,
                    confidence=s.confidence,
                    note=s.note,
                )
                for s in spec.limits
            ],
            batch_size=2000,
        )
        audit_record(
            actor=by,
            action="sampling.limits.load",
            obj=limit_set,
            after={"sha256": digest, "limits": len(spec.limits)},
        )
    return limit_set, True


def datafile_kind(content: bytes) -> str:
    """ "catalogue" or "limits": what a data file holds, from its head table."""
    data = _toml(content)
    kinds = [kind for kind in ("catalogue", "limits") if isinstance(data.get(kind), dict)]
    if len(kinds) != 1:
        raise DataFileError(["the file needs one head table: [catalogue] or [limits]"])
    return kinds[0]
