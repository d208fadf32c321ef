from shian.trace.checks import epcis_schema_configured


def test_a_missing_epcis_schema_is_a_warning_naming_the_setting(settings):
    settings.SHIAN_TRACE = {**settings.SHIAN_TRACE, "EPCIS_JSON_SCHEMA": "/nowhere/schema.json"}
    (warning,) = epcis_schema_configured(None)
    assert warning.id == "shian.trace.W001" and "SHIAN_TRACE_EPCIS_JSON_SCHEMA" in warning.hint
