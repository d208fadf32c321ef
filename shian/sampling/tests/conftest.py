from pathlib import Path

import pytest

from shian.sampling.services import catalogue_load, limits_load

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def starter(db):
    """The shipped starter catalogue and limit sets."""
    catalogue, _ = catalogue_load(content=(DATA / "catalogue-cn-starter.toml").read_bytes())
    for path in sorted(DATA.glob("limits-*.toml")):
        limits_load(content=path.read_bytes())
    return catalogue


@pytest.fixture
def gusu_bureau(db):
    from shian.core.tests.factories import AgencyFactory, region

    return AgencyFactory(name="姑苏区市场监督管理局", region=region("320508"))


@pytest.fixture
def samplers(gusu_bureau):
    """Two sampling officers of the 姑苏 bureau."""
    from shian.core.choices import Role
    from shian.core.tests.factories import RegulatorFactory

    return [
        RegulatorFactory(username=f"sampler-{n}", agency=gusu_bureau, roles=[Role.SAMPLING_OFFICER]) for n in (1, 2)
    ]


@pytest.fixture
def lab(db):
    from .factories import LabFactory

    return LabFactory(name="苏州市食品检验检测中心")


@pytest.fixture
def analyst(lab):
    from .factories import LabUserFactory

    return LabUserFactory(username="analyst", lab=lab)


@pytest.fixture
def shop(db):
    from shian.registry.tests.factories import OperatorFactory

    return OperatorFactory(name="姑苏粮油店", category="sales")


@pytest.fixture
def record(starter, samplers, lab, shop):
    """Record a sample of a food (细类 name) bought at `shop` by the two samplers."""
    from shian.sampling.models import FoodCategory
    from shian.sampling.services import sample_record

    def make(food="酱油", operator=None, **fields):
        category = FoodCategory.objects.get(catalogue=starter, level=4, name__startswith=food)
        defaults = {"product_name": f"某品牌{food}", "quantity": "4瓶", "backup_quantity": "2瓶"}
        return sample_record(
            by=samplers[0],
            operator=operator or shop,
            category=category,
            lab=lab,
            samplers=samplers,
            **(defaults | fields),
        )

    return make


@pytest.fixture
def owner(shop):
    """The food-safety officer of the sampled shop."""
    from shian.core.tests.factories import BusinessUserFactory
    from shian.registry.tests.factories import MembershipFactory

    user = BusinessUserFactory(username="shop-officer")
    MembershipFactory(user=user, operator=shop)
    return user


@pytest.fixture
def failed(record, analyst):
    """A soy-sauce sample that failed on sorbic acid (1.5 g/kg against 1.0)."""
    from django.utils import timezone

    from shian.sampling.labrows import LabRow
    from shian.sampling.services import results_record

    sample = record()
    results_record(
        sample=sample,
        by=analyst,
        concluded_on=timezone.localdate(),
        rows=[LabRow("苯甲酸", "0.1", "g/kg"), LabRow("山梨酸", "1.5", "g/kg"), LabRow("氨基酸态氮", "0.8", "g/100mL")],
    )
    sample.refresh_from_db()
    return sample
