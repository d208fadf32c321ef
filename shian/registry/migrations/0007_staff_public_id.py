import secrets

from django.db import migrations, models

import shian.registry.models


def fill(apps, schema_editor):
    Staff = apps.get_model("registry", "Staff")
    for staff in Staff.objects.filter(public_id__isnull=True).only("pk").iterator():
        Staff.objects.filter(pk=staff.pk).update(public_id=secrets.token_urlsafe(16))


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_operator_duty_facts")]

    operations = [
        migrations.AddField(
            model_name="staff",
            name="public_id",
            field=models.CharField(editable=False, max_length=32, null=True, verbose_name="public id"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="staff",
            name="public_id",
            field=models.CharField(
                default=shian.registry.models.new_public_id, editable=False, max_length=32, verbose_name="public id"
            ),
        ),
        migrations.AddConstraint(
            model_name="staff",
            constraint=models.UniqueConstraint(fields=("public_id",), name="registry_staff_public_id_unique"),
        ),
    ]
