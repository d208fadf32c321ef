"""A trigram index on operator names, on PostgreSQL only, so that the list's name search (`name LIKE '%…%'`)
stays an index lookup at a million operators. SQLite has no such index: there the search scans the rows
in the user's region range, which is fast enough for the embedded single-county set-up (DESIGN.md §1 allows
a PostgreSQL-only fast path beside a portable one).

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it without being a superuser.
Trigrams of Chinese text need a UTF-8 character type (C.UTF-8 or zh_CN.UTF-8, as `initdb` gives by default);
under the plain C locale pg_trgm sees no word characters in Chinese and the index cannot help.
"""

from django.db import migrations

INDEX = "registry_operator_name_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_operator USING gin (name gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
