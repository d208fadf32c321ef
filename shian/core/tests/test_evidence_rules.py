"""Pure 五定 rules and EXIF reading: no database."""

import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from shian.core.evidence.exif import ExifFacts, parse_coordinate, parse_datetime, read_exif
from shian.core.evidence.rules import (
    Tolerances,
    capture_time_in_future,
    evidence_findings,
    normalise_phone,
    phone_matches,
)

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
CLAIMED_AT = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI)
PREMISES = (31.3, 120.6)
TOLERANCES = Tolerances(time_minutes=10, place_metres=200, premises_radius_metres=500)
METRES_PER_DEGREE_LATITUDE = 111_195  # on the 6,371 km sphere of `distance_metres`


def north_of(position, metres):
    return position[0] + metres / METRES_PER_DEGREE_LATITUDE, position[1]


def findings(**overrides):
    facts = {
        "is_image": True,
        "claimed_at": CLAIMED_AT,
        "claimed_position": PREMISES,
        "exif_taken_at": CLAIMED_AT,
        "exif_position": PREMISES,
        "premises": PREMISES,
        "tolerances": TOLERANCES,
        "is_duplicate": False,
        "phone": "13800001234",
        "registered_phone": "13800001234",
    }
    return evidence_findings(**{**facts, **overrides})


def test_a_photo_that_matches_everything_has_no_flags():
    result = findings()
    assert result.flags == []
    assert result.premises_distance_m == 0


@pytest.mark.parametrize(("minutes", "flagged"), [(9, False), (-9, False), (11, True), (-11, True), (600, True)])
def test_time_mismatch_beyond_the_tolerance_either_way(minutes, flagged):
    result = findings(exif_taken_at=CLAIMED_AT + datetime.timedelta(minutes=minutes))
    assert result.flags == (["time_mismatch"] if flagged else [])


def test_time_is_compared_across_time_zones():
    same_moment_in_utc = CLAIMED_AT.astimezone(datetime.UTC)
    assert findings(exif_taken_at=same_moment_in_utc).flags == []


@pytest.mark.parametrize(("metres", "flagged"), [(150, False), (250, True)])
def test_place_mismatch_beyond_the_tolerance(metres, flagged):
    # the claim moves away; the photo's own position stays at the premises, so only the claim disagrees
    result = findings(claimed_position=north_of(PREMISES, metres))
    assert result.flags == (["place_mismatch"] if flagged else [])


@pytest.mark.parametrize(("metres", "flagged"), [(450, False), (550, True)])
def test_far_from_premises_beyond_the_radius(metres, flagged):
    position = north_of(PREMISES, metres)
    result = findings(claimed_position=position, exif_position=position)
    assert result.flags == (["far_from_premises"] if flagged else [])
    assert result.premises_distance_m == pytest.approx(metres, abs=1)


def test_distance_from_premises_is_measured_from_the_photo_s_own_position():
    result = findings(claimed_position=PREMISES, exif_position=north_of(PREMISES, 800))
    assert result.flags == ["place_mismatch", "far_from_premises"]
    assert result.premises_distance_m == pytest.approx(800, abs=1)


def test_without_an_exif_position_the_claimed_position_is_measured():
    result = findings(exif_position=None, claimed_position=north_of(PREMISES, 800))
    assert result.flags == ["no_exif", "far_from_premises"]


def test_without_premises_nothing_is_measured():
    result = findings(premises=None, exif_position=north_of(PREMISES, 5000), claimed_position=north_of(PREMISES, 5000))
    assert result.flags == []
    assert result.premises_distance_m is None


@pytest.mark.parametrize(
    ("taken_at", "position"), [(None, PREMISES), (CLAIMED_AT, None), (None, None)], ids=["no-time", "no-gps", "none"]
)
def test_an_image_missing_exif_time_or_position_is_flagged(taken_at, position):
    assert findings(exif_taken_at=taken_at, exif_position=position).flags == ["no_exif"]


def test_a_pdf_is_not_flagged_for_lacking_exif():
    assert findings(is_image=False, exif_taken_at=None, exif_position=None).flags == []


def test_duplicate_and_phone_flags_and_their_order():
    result = findings(is_duplicate=True, phone="13900000000", exif_taken_at=None)
    assert result.flags == ["no_exif", "duplicate", "phone_mismatch"]


@pytest.mark.parametrize(
    ("claimed", "registered", "matches"),
    [
        ("13800001234", "13800001234", True),
        ("+86 138-0000-1234", "13800001234", True),
        ("0086 13800001234", "138 0000 1234", True),
        ("13800001235", "13800001234", False),
        ("13800001234", "", False),
        ("", "", False),
    ],
)
def test_phone_matching(claimed, registered, matches):
    assert phone_matches(claimed, registered) is matches


def test_normalise_phone_keeps_a_number_that_only_starts_with_86():
    assert normalise_phone("8613800001234") == "13800001234"
    assert normalise_phone("86123") == "86123"


def test_capture_time_in_future():
    now = CLAIMED_AT
    assert not capture_time_in_future(captured_at=now + datetime.timedelta(minutes=10), now=now, tolerance_minutes=10)
    assert capture_time_in_future(captured_at=now + datetime.timedelta(minutes=11), now=now, tolerance_minutes=10)
    assert not capture_time_in_future(captured_at=now - datetime.timedelta(days=30), now=now, tolerance_minutes=10)


# --- EXIF -----------------------------------------------------------------------------------------


def jpeg_with_exif(exif_ifd=None, gps_ifd=None) -> io.BytesIO:
    exif = Image.Exif()
    if exif_ifd is not None:
        exif[0x8769] = exif_ifd
    if gps_ifd is not None:
        exif[0x8825] = gps_ifd
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buffer, "JPEG", exif=exif)
    buffer.seek(0)
    return buffer


def dms(value: float) -> tuple:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600 * 1000)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 1000)


def test_read_exif_time_with_offset_and_gps_with_references():
    facts = read_exif(
        jpeg_with_exif(
            {0x9003: "2026:03:01 10:00:00", 0x9011: "+09:00"},
            {1: "S", 2: dms(33.8688), 3: "W", 4: dms(151.2093)},
        )
    )
    assert facts.taken_at == datetime.datetime(2026, 3, 1, 1, 0, tzinfo=datetime.UTC)
    assert facts.latitude == Decimal("-33.868800")
    assert facts.longitude == Decimal("-151.209300")
    assert facts.position == (-33.8688, -151.2093)


def test_read_exif_without_offset_assumes_china_time():
    facts = read_exif(jpeg_with_exif({0x9003: "2026:03:01 10:00:00"}))
    assert facts.taken_at == datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.UTC)
    assert facts.position is None


def test_read_exif_of_an_image_without_exif_is_empty():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    buffer.seek(0)
    assert read_exif(buffer) == ExifFacts()


@pytest.mark.parametrize(
    ("exif_ifd", "gps_ifd"),
    [
        ({0x9003: "not a date", 0x9011: "+99:99"}, {1: "X", 2: dms(31.3), 3: "E", 4: dms(120.6)}),
        ({0x9003: "2026:13:45 99:00:00"}, {1: "N", 2: (IFDRational(1, 0), 0, 0), 3: "E", 4: dms(120.6)}),
        ({0x9003: b"\xff\xfe"}, {1: "N", 2: dms(31.3) + dms(0.5), 3: "E", 4: dms(120.6)}),
        ({0x9003: 12345}, {1: "N", 2: dms(95.0), 3: "E", 4: dms(120.6)}),
        ({}, {1: "N", 2: dms(31.3), 3: "E", 4: dms(190.0)}),
    ],
)
def test_read_exif_turns_garbage_into_none(exif_ifd, gps_ifd):
    facts = read_exif(jpeg_with_exif(exif_ifd, gps_ifd))
    assert facts.taken_at is None
    assert facts.latitude is None and facts.longitude is None


def test_a_half_position_is_no_position():
    facts = read_exif(jpeg_with_exif(None, {1: "N", 2: dms(31.3)}))
    assert facts.latitude is None and facts.longitude is None


@given(st.binary(max_size=2048))
@settings(max_examples=200, deadline=None)
def test_read_exif_never_raises_on_arbitrary_bytes(data):
    assert isinstance(read_exif(io.BytesIO(data)), ExifFacts)


@given(st.binary(min_size=1, max_size=256), st.integers(min_value=20, max_value=400))
@settings(max_examples=200, deadline=None)
@pytest.mark.filterwarnings("ignore:.*:UserWarning:PIL")
def test_read_exif_never_raises_on_a_corrupted_photo(noise, at):
    photo = bytearray(
        jpeg_with_exif({0x9003: "2026:03:01 10:00:00"}, {1: "N", 2: dms(31.3), 3: "E", 4: dms(120.6)}).getvalue()
    )
    photo[at : at + len(noise)] = noise
    assert isinstance(read_exif(io.BytesIO(bytes(photo))), ExifFacts)


def test_parse_helpers_directly():
    assert parse_coordinate(dms(31.5), "n", 90, "S") == Decimal("31.500000")
    assert parse_coordinate((31, 30), "N", 90, "S") == Decimal("31.500000")
    assert parse_coordinate(dms(31.5), None, 90, "S") is None
    assert parse_coordinate(None, "N", 90, "S") is None
    assert parse_datetime("2026:03:01 10:00:00\x00", "-05:00") == datetime.datetime(
        2026, 3, 1, 15, 0, tzinfo=datetime.UTC
    )
    assert parse_datetime("    :  :     :  :  ") is None
