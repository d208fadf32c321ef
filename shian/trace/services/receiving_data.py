"""The receiving requirements as data: document kinds and product classes from a TOML file (shipped:
shian/trace/data/receiving.toml), loaded whole or not at all."""

import tomllib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shian.core.services.audit import audit_record, snapshot

from ..choices import DocumentLevel
from ..models import DocumentKind, ProductClass

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "receiving.toml"


def _read(content: bytes) -> dict:
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(_("The file is not TOML: %(reason)s") % {"reason": exc}) from None
    problems = []
    kinds = {}
    for n, entry in enumerate(data.get("documents", []), start=1):
        if not entry.get("code") or not entry.get("name"):
            problems.append(_("documents #%(n)d: give a code and a name") % {"n": n})
        elif entry.get("level") not in DocumentLevel.values:
            problems.append(
                _("documents #%(n)d (%(code)s): level must be one of %(levels)s")
                % {"n": n, "code": entry["code"], "levels": ", ".join(DocumentLevel.values)}
            )
        else:
            kinds[entry["code"]] = entry
    for n, entry in enumerate(data.get("classes", []), start=1):
        if not entry.get("code") or not entry.get("name"):
            problems.append(_("classes #%(n)d: give a code and a name") % {"n": n})
        for code in entry.get("documents", []):
            if code not in kinds and not DocumentKind.objects.filter(code=code).exists():
                problems.append(
                    _("classes #%(n)d (%(code)s): no document kind %(kind)s")
                    % {"n": n, "code": entry.get("code"), "kind": code}
                )
    if problems:
        raise ValidationError(problems)
    return data


@transaction.atomic
def receiving_data_load(*, content: bytes, by=None) -> tuple[int, int]:
    """Create or update the document kinds and product classes of the file, auditing each one that changes;
    (kinds, classes) in the file. Loading the same file again changes nothing."""
    data = _read(content)
    for entry in data.get("documents", []):
        values = {"name": entry["name"], "level": entry["level"], "basis": entry.get("basis", "")}
        _upsert(DocumentKind, entry["code"], values, by)
    for entry in data.get("classes", []):
        values = {
            "name": entry["name"],
            "requires_trace_code": bool(entry.get("requires_trace_code", False)),
            "basis": entry.get("basis", ""),
        }
        product_class, changed = _upsert(ProductClass, entry["code"], values, by, audit=False)
        wanted = set(entry.get("documents", []))
        if changed or set(product_class.documents.values_list("code", flat=True)) != wanted:
            product_class.documents.set(DocumentKind.objects.filter(code__in=wanted))
            after = snapshot(product_class) | {"documents": sorted(wanted)}
            audit_record(actor=by, action="trace.documents.load", obj=product_class, after=after)
    return len(data.get("documents", [])), len(data.get("classes", []))


def _upsert(model, code: str, values: dict, by, audit: bool = True):
    """(the row, whether it was created or changed)."""
    row = model.objects.filter(code=code).first()
    if row is not None and all(getattr(row, key) == value for key, value in values.items()):
        return row, False
    before = snapshot(row) if row else None
    row = row or model(code=code)
    for key, value in values.items():
        setattr(row, key, value)
    row.save()
    if audit:
        audit_record(actor=by, action="trace.documents.load", obj=row, before=before, after=snapshot(row))
    return row, True
