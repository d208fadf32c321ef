from pathlib import Path

import pytest

from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.core.tests.test_evidence import upload
from shian.inspection.services import checklist_load
from shian.registry.tests.factories import MembershipFactory, OperatorFactory

CHECKLISTS = Path(__file__).resolve().parents[1] / "checklists"


@pytest.fixture
def checklists(db):
    return {path.stem: checklist_load(content=path.read_bytes())[0] for path in sorted(CHECKLISTS.glob("*.toml"))}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def gusu(db):
    return AgencyFactory(name="姑苏区市场监督管理局", region=region("320508"))


@pytest.fixture
def inspectors(gusu):
    """Two inspectors of the 姑苏 bureau."""
    return [RegulatorFactory(username=f"gusu-{n}", agency=gusu) for n in (1, 2)]


@pytest.fixture
def operator(db):
    return OperatorFactory(name="姑苏面馆", category="catering", latitude=31.3, longitude=120.6)


@pytest.fixture
def owner(operator):
    user = BusinessUserFactory(username="noodle-owner")
    MembershipFactory(user=user, operator=operator)
    return user


@pytest.fixture
def photo_of(media):
    def make(user, operator, subject=None):
        return upload(user, operator=operator, subject=subject, region=operator.region)

    return make
