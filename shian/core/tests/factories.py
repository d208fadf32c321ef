"""Factories for tests of every app. Regions come from the shipped codes (see the `regions` fixture)."""

import factory
from django.contrib.auth.models import Group

from shian.core.choices import AgencyKind, Role, UserKind
from shian.core.models import Agency, Region, User

DEMO_PASSWORD = "Test-password-2026"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def roles_declaration(default: list[str]):
    """Post-generation `roles=[...]` (group names), defaulting to the factory's usual roles."""

    def add_roles(user, create, extracted, **kwargs):
        for role in default if extracted is None else extracted:
            user.groups.add(Group.objects.get(name=role))
        if create:
            user.save()

    return factory.PostGeneration(add_roles)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试市场监督管理局{n}")
    kind = AgencyKind.BUREAU
    region = factory.LazyFunction(lambda: region("320508"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    phone = factory.Sequence(lambda n: f"1380000{n:04d}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    kind = UserKind.PUBLIC
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    roles = roles_declaration([])


class RegulatorFactory(UserFactory):
    """An inspector of a county bureau; pass jurisdiction=region("3205") style codes through `agency`."""

    kind = UserKind.REGULATOR
    agency = factory.SubFactory(AgencyFactory)
    jurisdiction = factory.LazyAttribute(lambda u: u.agency.region)
    roles = roles_declaration([Role.INSPECTOR])


class BusinessUserFactory(UserFactory):
    kind = UserKind.BUSINESS
    roles = roles_declaration([Role.OFFICER])
