import factory

from shian.core.choices import Role, UserKind
from shian.core.tests.factories import UserFactory, region, roles_declaration
from shian.sampling.models import Lab, LabMember


class LabFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lab

    name = factory.Sequence(lambda n: f"检测中心{n}")
    accreditation = factory.Sequence(lambda n: f"CMA-{n:06d}")
    region = factory.LazyFunction(lambda: region("320508"))
    retest_approved = True


class LabUserFactory(UserFactory):
    kind = UserKind.LAB
    roles = roles_declaration([Role.LAB])

    @factory.post_generation
    def lab(user, create, extracted, **kwargs):
        if create and extracted is not None:
            LabMember.objects.create(lab=extracted, user=user)
