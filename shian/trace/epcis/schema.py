"""Validation against the official EPCIS 2.0 JSON Schema, whose path is a setting (GS1 lets it be used, not
republished: docs/deploy.md says where to get it)."""

import functools
import json
from pathlib import Path

import jsonschema_rs
from django.conf import settings


@functools.cache
def _validator(path: str):
    return jsonschema_rs.validator_for(json.loads(Path(path).read_text(encoding="utf-8")))


def schema_path() -> Path | None:
    configured = settings.SHIAN_TRACE["EPCIS_JSON_SCHEMA"]
    return Path(configured) if configured and Path(configured).is_file() else None


def schema_errors(document: dict) -> list[tuple[list, str]]:
    """(JSON path, message) for every way the document breaks the schema; none when no schema is configured."""
    path = schema_path()
    if path is None:
        return []
    return [(list(error.instance_path), error.message) for error in _validator(str(path)).iter_errors(document)]
