"""EXIF capture time and GPS position of a photo, read with Pillow. Pure and forgiving: whatever is missing,
malformed or out of range comes back as None, never as an exception."""

import datetime
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO
from zoneinfo import ZoneInfo

from PIL import Image

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATE_TIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4

CHINA_TIME = ZoneInfo("Asia/Shanghai")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_MICRODEGREE = Decimal("0.000001")


@dataclass(frozen=True)
class ExifFacts:
    """What a photo says about itself: when it was taken (aware) and where (WGS-84 degrees, 6 decimals)."""

    taken_at: datetime.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    @property
    def position(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return float(self.latitude), float(self.longitude)


def _text(value) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    if not isinstance(value, str):
        return None
    return value.strip("\x00 ") or None


def parse_offset(value) -> datetime.tzinfo | None:
    """An EXIF OffsetTime* value ("+08:00") as a fixed zone, or None."""
    match = _OFFSET.match(_text(value) or "")
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = datetime.timedelta(hours=int(hours), minutes=int(minutes))
    if delta > datetime.timedelta(hours=14) or int(minutes) >= 60:
        return None
    return datetime.timezone(-delta if sign == "-" else delta)


def parse_datetime(value, offset=None, default_zone: datetime.tzinfo = CHINA_TIME) -> datetime.datetime | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" as an aware datetime: in the zone of `offset` when the photo records one,
    else in `default_zone` (a phone sold in China writes local time)."""
    text = _text(value)
    if text is None:
        return None
    try:
        naive = datetime.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    zone = parse_offset(offset) or default_zone
    return naive.replace(tzinfo=zone)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def parse_coordinate(dms, ref, limit: int, negative_ref: str) -> Decimal | None:
    """GPS degrees/minutes/seconds rationals and their N/S or E/W reference as signed decimal degrees."""
    ref_text = (_text(ref) or "").upper()
    if ref_text not in {"N", "S", "E", "W"}:
        return None
    if not isinstance(dms, tuple | list) or not 1 <= len(dms) <= 3:
        return None
    parts = [_number(part) for part in dms]
    if any(part is None or part < 0 for part in parts):
        return None
    degrees = sum(part / 60**i for i, part in enumerate(parts))
    if degrees > limit:
        return None
    if ref_text == negative_ref:
        degrees = -degrees
    return Decimal(repr(degrees)).quantize(_MICRODEGREE)


def facts_from_exif(exif: Image.Exif) -> ExifFacts:
    """Capture time and position from a Pillow `Image.Exif` (IFDs 0x8769 and 0x8825)."""
    try:
        exif_ifd = exif.get_ifd(EXIF_IFD)
    except Exception:  # Pillow raises many kinds on a corrupt IFD
        exif_ifd = {}
    try:
        gps_ifd = exif.get_ifd(GPS_IFD)
    except Exception:
        gps_ifd = {}
    taken_at = parse_datetime(exif_ifd.get(DATE_TIME_ORIGINAL), exif_ifd.get(OFFSET_TIME_ORIGINAL))
    latitude = parse_coordinate(gps_ifd.get(GPS_LATITUDE), gps_ifd.get(GPS_LATITUDE_REF), 90, "S")
    longitude = parse_coordinate(gps_ifd.get(GPS_LONGITUDE), gps_ifd.get(GPS_LONGITUDE_REF), 180, "W")
    if latitude is None or longitude is None:
        latitude = longitude = None
    return ExifFacts(taken_at=taken_at, latitude=latitude, longitude=longitude)


def read_exif(fp: BinaryIO) -> ExifFacts:
    """EXIF facts of the image in the binary file `fp` (read from its current position); empty facts for
    anything Pillow cannot open or whose EXIF is unreadable."""
    try:
        with Image.open(fp) as image:
            return facts_from_exif(image.getexif())
    except Exception:  # not an image, truncated, a decompression bomb, a corrupt EXIF block …
        return ExifFacts()
