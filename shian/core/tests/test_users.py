import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from shian.core.choices import Role, UserKind
from shian.core.models import AuditEntry
from shian.core.services.users import user_create
from shian.core.tests.factories import AgencyFactory, region

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    inspector = Group.objects.get(name=Role.INSPECTOR)
    assert inspector.permissions.filter(codename="add_evidence").exists()
    assert not Group.objects.get(name=Role.PUBLIC).permissions.exists()


def test_a_regulators_jurisdiction_defaults_to_the_agency_region_and_must_lie_within_it():
    agency = AgencyFactory(region=region("320500"))
    user = user_create(
        by=None,
        username="u1",
        password="Long-enough-pw-1",
        kind=UserKind.REGULATOR,
        roles=[Role.INSPECTOR],
        agency=agency,
    )
    assert user.jurisdiction_id == "320500" and user.has_role(Role.INSPECTOR)
    assert user.password.startswith("argon2")
    narrower = user_create(
        by=None,
        username="u2",
        password="Long-enough-pw-1",
        kind=UserKind.REGULATOR,
        roles=[Role.INSPECTOR],
        agency=agency,
        jurisdiction=region("320508"),
    )
    assert narrower.jurisdiction_id == "320508"
    with pytest.raises(ValidationError) as error:
        user_create(
            by=None,
            username="u3",
            password="Long-enough-pw-1",
            kind=UserKind.REGULATOR,
            roles=[Role.INSPECTOR],
            agency=agency,
            jurisdiction=region("320102"),
        )
    assert "jurisdiction" in error.value.message_dict


def test_a_regulator_needs_an_agency():
    with pytest.raises(ValidationError) as error:
        user_create(
            by=None,
            username="u4",
            password="Long-enough-pw-1",
            kind=UserKind.REGULATOR,
            roles=[Role.INSPECTOR],
        )
    assert "agency" in error.value.message_dict


def test_roles_must_fit_the_kind_of_user():
    with pytest.raises(ValueError, match="business"):
        user_create(by=None, username="u5", password="Long-enough-pw-1", kind=UserKind.PUBLIC, roles=[Role.DIRECTOR])


def test_user_creation_is_audited_without_the_password():
    user = user_create(by=None, username="u6", password="Long-enough-pw-1", kind=UserKind.PUBLIC, roles=[Role.PUBLIC])
    entry = AuditEntry.objects.get(action="user.create", object_id=str(user.pk))
    assert entry.after["roles"] == ["public"] and "password" not in entry.after
