"""`shian_bigrams(text)`: the two-character grams of a text, for GIN indexes that answer `__fragment` searches
(shian/core/lookups.py) on PostgreSQL. IMMUTABLE, as an index expression must be; SQLite needs nothing."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION shian_bigrams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    grams text[] := '{}';
BEGIN
    FOR i IN 1 .. char_length(t) - 1 LOOP
        grams := grams || substr(t, i, 2);
    END LOOP;
    RETURN grams;
END
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS shian_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_trim_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
