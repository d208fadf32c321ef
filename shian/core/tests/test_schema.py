"""The database holds what the models declare: a constraint or index lost by a migration (as Django dropped
the partial unique index of one current risk grade per operator on PostgreSQL) is found here."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db


def test_every_declared_constraint_and_index_is_in_the_database():
    missing = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model._meta.managed:
                continue
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
            missing += [
                f"{model._meta.db_table}.{declared.name}"
                for declared in [*model._meta.constraints, *model._meta.indexes]
                if declared.name not in present
            ]
    assert missing == []
