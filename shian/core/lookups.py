"""`field__any_of=[...]`: membership in a long list passed as one parameter.

Django's `__in` makes one placeholder per value, and with thousands of values building and parsing that query
costs more than the database takes to answer it (imports look up 2,000 licence numbers a chunk). Here the
list travels whole: a PostgreSQL array (`= ANY(%s)`) or, on SQLite, a JSON array (`IN json_each(%s)`).
Values are passed as the column stores them (no per-value conversion).
"""

import json

from django.db.models import Field, Lookup


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, values]
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(values)]
        placeholders = ", ".join(["%s"] * len(values)) or "NULL"
        return f"{lhs} IN ({placeholders})", [*params, *values]
