"""Model fields of our own."""

from django.db import models


class JsonTextField(models.JSONField):
    """A JSONField kept as PostgreSQL `json` rather than `jsonb`: the text as written, checked but not
    converted. For values read whole and never searched inside, where converting to `jsonb` would cost most of
    a bulk write (the explained points of a million risk grades). Elsewhere the same as a JSONField."""

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value is not None and not isinstance(value, str):  # psycopg reads `json` into Python itself
            return value
        return super().from_db_value(value, expression, connection)
