import pytest

from shian.core.choices import RegionLevel
from shian.core.rules import distance_metres, region_code_range, region_contains, region_level, region_prefix


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [
        ("320000", RegionLevel.PROVINCE, "32"),
        ("320500", RegionLevel.CITY, "3205"),
        ("320508", RegionLevel.COUNTY, "320508"),
        ("320508001", RegionLevel.TOWN, "320508001"),
        ("429000", RegionLevel.CITY, "4290"),  # 湖北省直辖县级行政区划
    ],
)
def test_region_level_and_prefix(code, level, prefix):
    assert region_level(code) == level
    assert region_prefix(code) == prefix


@pytest.mark.parametrize("bad", ["", "3205", "32050x", "1234567"])
def test_region_level_rejects_non_codes(bad):
    with pytest.raises(ValueError, match="region code"):
        region_level(bad)


def test_region_contains():
    assert region_contains("320000", "320508")
    assert region_contains("320500", "320508")
    assert region_contains("320508", "320508")
    assert not region_contains("320508", "320506")
    assert not region_contains("320500", "320102")
    assert not region_contains("320000", "330102")


def test_distance_metres():
    # 苏州 to 南京, about 190 km as the crow flies
    assert 180_000 < distance_metres(31.299, 120.585, 32.060, 118.797) < 200_000
    assert distance_metres(31.3, 120.6, 31.3, 120.6) == 0
    # 0.001° of latitude is about 111 m
    assert 105 < distance_metres(31.300, 120.6, 31.301, 120.6) < 116


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("320000", ("32", "33")),
        ("320500", ("3205", "3206")),
        ("320599", ("320599", "320600")),
        ("320508", ("320508", "320509")),
        ("429000", ("4290", "4291")),
    ],
)
def test_region_code_range(code, expected):
    assert region_code_range(code) == expected


def test_region_code_range_contains_exactly_the_region():
    low, high = region_code_range("320500")
    inside = ["320500", "320508", "320508001", "320599"]
    outside = ["320400", "320600", "3206", "321000"]
    assert all(low <= c < high for c in inside)
    assert not any(low <= c < high for c in outside)
