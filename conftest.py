"""Fixtures for the whole suite."""

import datetime
import zoneinfo

import pytest
import time_machine

pytest_plugins = ["shian.testing.browser"]

# Legal time limits run on the working-day calendar, known only up to the last year whose holiday notice is
# loaded (chinese-calendar 1.11 knows 2026): tests run on a fixed Monday well inside it, with the clock
# ticking, so that no deadline they compute reaches an unknown year whatever the real date.
TEST_NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped region codes once per test database (county level; towns are tested separately)."""
    from shian.core.services.regions import regions_load

    with django_db_blocker.unblock():
        regions_load()


@pytest.fixture
def inspector(db):
    """An inspector of 苏州市姑苏区 (320508)."""
    from shian.core.tests.factories import AgencyFactory, RegulatorFactory, region

    agency = AgencyFactory(name="苏州市姑苏区市场监督管理局", region=region("320508"))
    return RegulatorFactory(username="gusu-inspector", agency=agency)


@pytest.fixture
def other_county_inspector(db):
    """An inspector of 苏州市吴中区 (320506): same city, another county."""
    from shian.core.tests.factories import AgencyFactory, RegulatorFactory, region

    agency = AgencyFactory(name="苏州市吴中区市场监督管理局", region=region("320506"))
    return RegulatorFactory(username="wuzhong-inspector", agency=agency)


@pytest.fixture
def regions(transactional_db):
    """Region codes for transactional tests (the database is flushed after each of them)."""
    from shian.core.services.regions import regions_load

    regions_load()


@pytest.fixture
def english():
    """Messages in English, for tests that read them (the default language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def restaurant(db):
    """A restaurant of 苏州市姑苏区, whose managers are the fixtures below."""
    from shian.registry.tests.factories import OperatorFactory

    return OperatorFactory(name="姑苏面馆", category="catering")


@pytest.fixture
def officer(restaurant):
    from shian.registry.tests.factories import business_member

    return business_member(restaurant, "officer", "mian-officer")


@pytest.fixture
def director(restaurant):
    from shian.registry.tests.factories import business_member

    return business_member(restaurant, "director", "mian-director")


@pytest.fixture
def principal(restaurant):
    from shian.registry.tests.factories import business_member

    return business_member(restaurant, "principal", "mian-principal")
