# Migration 0002 stopped the operator column being indexed on its own; on PostgreSQL Django then dropped every
# plain index on that column, the partial unique index of "one current grade per operator" with them. This
# puts it back where it is missing.

from django.db import migrations

NAME = "risk_grade_one_current"


def restore(apps, schema_editor):
    model = apps.get_model("risk", "RiskGrade")
    with schema_editor.connection.cursor() as cursor:
        present = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
    if NAME not in present:
        (constraint,) = [c for c in model._meta.constraints if c.name == NAME]
        schema_editor.add_constraint(model, constraint)


class Migration(migrations.Migration):
    dependencies = [("risk", "0002_grades_without_database_foreign_keys")]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]
