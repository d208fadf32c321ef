"""Lookups for the registry's scale. `field__any_of=[...]`: membership in a long list passed as one parameter.

Django's `__in` makes one placeholder per value, and with thousands of values building and parsing that query
costs more than the database takes to answer it (imports look up 2,000 licence numbers a chunk). Here the
list travels whole: a PostgreSQL array (`= ANY(%s)`) or, on SQLite, a JSON array (`IN json_each(%s)`).
Values are passed as the column stores them (no per-value conversion).
"""

import json

from django.db.models import CharField, Field, ForeignKey, Lookup
from django.db.models.lookups import Contains


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, values]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(values)]  # SQLite


ForeignKey.register_lookup(AnyOf)  # related fields keep their own lookups: `operator_id__any_of=[…]`


@CharField.register_lookup
class Fragment(Lookup):
    """`field__fragment=text`: the field contains `text`. On PostgreSQL the condition also says that the
    field's two-character grams hold all of the text's (`shian_bigrams(field) @> shian_bigrams(text)`, core
    migration 0004), which a GIN index on `shian_bigrams(field)` answers: Chinese names are searched by two
    characters (面馆, 鸿福), too short for pg_trgm's trigrams. Elsewhere it is `contains`."""

    lookup_name = "fragment"

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(Contains(self.lhs, self.rhs))
        if connection.vendor != "postgresql" or not isinstance(self.rhs, str) or len(self.rhs) < 2:
            return sql, params
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"(shian_bigrams({lhs}) @> shian_bigrams(%s) AND {sql})", [*lhs_params, self.rhs, *params]
