"""Name search by two-character grams instead of trigrams (PostgreSQL only): Chinese business names are
searched by two characters (面馆, 鸿福), which pg_trgm cannot look up, and a bigram index answers three
characters and more as well. `Q(name__fragment=...)` (shian/core/lookups.py) is the query it serves."""

from django.db import migrations

INDEX = "registry_operator_name_bigrams"
TRIGRAM_INDEX = "registry_operator_name_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_operator USING gin (shian_bigrams(name))")
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON registry_operator USING gin (name gin_trgm_ops)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_trim_indexes"), ("core", "0004_bigrams_function")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
