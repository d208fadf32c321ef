from decimal import Decimal

import factory
from stdnum.cn import uscc

from shian.core.tests.factories import region
from shian.registry.choices import MembershipRole
from shian.registry.models import Operator, OperatorMembership


def credit_code(n: int) -> str:
    """A valid unified social credit code (enterprise, Suzhou) with body number n."""
    body = f"91320500{n:09d}"
    return body + uscc.calc_check_digit(body)


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator

    name = factory.Sequence(lambda n: f"测试餐饮店{n}")
    credit_code = factory.Sequence(credit_code)
    region = factory.LazyFunction(lambda: region("320508"))
    address = "苏州市姑苏区人民路1号"
    latitude = Decimal("31.317000")
    longitude = Decimal("120.619000")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorMembership

    operator = factory.SubFactory(OperatorFactory)
    role = MembershipRole.OFFICER


def business_member(operator: Operator, role: str, username: str):
    """A business user of `operator` holding an Order 60 `role` there (its group and its membership)."""
    from shian.core.choices import Role
    from shian.core.tests.factories import BusinessUserFactory

    user = BusinessUserFactory(username=username, roles=[Role(role)])
    MembershipFactory(operator=operator, user=user, role=role)
    return user
