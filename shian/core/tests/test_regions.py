import pytest
from django.core.management import call_command

from shian.core.choices import RegionLevel
from shian.core.models import Region
from shian.core.services.regions import regions_load

pytestmark = pytest.mark.django_db


def test_shipped_codes_are_loaded_with_their_hierarchy():
    assert Region.objects.filter(level=RegionLevel.PROVINCE).count() == 34
    assert Region.objects.filter(level=RegionLevel.CITY).count() == 337
    assert Region.objects.filter(level=RegionLevel.COUNTY).count() == 2846
    gusu = Region.objects.get(code="320508")
    assert gusu.name == "姑苏区"
    assert [r.code for r in gusu.ancestors()] == ["320000", "320500"]
    assert gusu.full_name == "江苏省苏州市姑苏区"
    # a municipality's districts hang directly under the province
    assert Region.objects.get(code="110101").parent_id == "110000"


def test_loading_again_changes_nothing():
    summary = regions_load()
    assert (summary.created, summary.updated) == (0, 0)
    assert summary.unchanged == 34 + 337 + 2846


def test_load_repairs_a_changed_name():
    Region.objects.filter(code="320508").update(name="改错的名字")
    summary = regions_load()
    assert summary.updated == 1
    assert Region.objects.get(code="320508").name == "姑苏区"


def test_within_uses_the_code_prefix():
    codes = set(Region.objects.within("320500").values_list("code", flat=True))
    assert {"320500", "320508", "320506"} <= codes
    assert not any(not c.startswith("3205") for c in codes)


def test_towns_are_optional(capsys):
    assert not Region.objects.filter(level=RegionLevel.TOWN).exists()
    call_command("regions", "load", "--towns")
    out = capsys.readouterr().out
    assert "created" in out and "towns skipped" in out
    town = Region.objects.filter(parent_id="320508", level=RegionLevel.TOWN).first()
    assert town is not None and len(town.code) == 9 and town.code.startswith("320508")
    assert Region.objects.filter(level=RegionLevel.TOWN).count() > 38_000


@pytest.mark.django_db
def test_populations_load_from_a_file_and_a_bad_row_stores_nothing(tmp_path):
    from django.core.exceptions import ValidationError

    from shian.core.models import AuditEntry, Region
    from shian.core.services.regions import region_populations_load

    good = tmp_path / "population.csv"
    good.write_text('行政区划代码,常住人口,年份\n320508,"922,000",2020\n320506,1391000,2020\n', encoding="utf-8")
    assert region_populations_load(path=good) == 2
    assert Region.objects.get(code="320508").population == 922000
    assert AuditEntry.objects.filter(action="region.population").count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("code,population\n320508,1000\n999999,5\n320506,many\n", encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        region_populations_load(path=bad)
    assert error.value.messages == ["row 3: no region '999999'", "row 4: population 'many' is not a whole number"]
    assert Region.objects.get(code="320508").population == 922000
