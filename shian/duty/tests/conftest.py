import datetime

import pytest
from django.utils import timezone

from shian.duty.services.lists import (
    control_list_adopt,
    control_list_put_in_force,
    template_for,
    templates_load_shipped,
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def templates(db):
    return {t.code: t for t, _created in templates_load_shipped()}


def put_in_force(operator, by, *, days_ago: int = 0):
    draft = control_list_adopt(operator=operator, template=template_for(operator), by=by)
    return control_list_put_in_force(
        control_list=draft, by=by, on=timezone.localdate() - datetime.timedelta(days=days_ago)
    )


@pytest.fixture
def in_force(templates, restaurant, director):
    """The restaurant's list, copied from the catering template and in force from today."""
    return put_in_force(restaurant, director)
