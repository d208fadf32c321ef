from django.core.checks import Warning, register

from .epcis.schema import schema_path


@register()
def epcis_schema_configured(app_configs, **kwargs):
    """Captures are validated against GS1's EPCIS JSON Schema only where it is installed (it is not shipped)."""
    if schema_path() is not None:
        return []
    return [
        Warning(
            "The EPCIS 2.0 JSON Schema is not installed: captures are read field by field but not validated "
            "against it.",
            hint="Download https://ref.gs1.org/standards/epcis/epcis-json-schema.json and set "
            "SHIAN_TRACE_EPCIS_JSON_SCHEMA to its path (docs/deploy.md).",
            id="shian.trace.W001",
        )
    ]
