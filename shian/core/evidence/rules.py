"""Pure rules of 五定 photo evidence: what the server flags when it compares a photo's own EXIF with what the
uploader claims and with the premises. No ORM, no settings: tolerances come in as arguments."""

import datetime
import re
from dataclasses import dataclass

from ..models.evidence import EvidenceFlag
from ..rules import distance_metres

Position = tuple[float, float]


@dataclass(frozen=True)
class Tolerances:
    """How far a photo may stray before it is flagged (configuration [R], `settings.SHIAN_EVIDENCE`)."""

    time_minutes: int
    place_metres: int
    premises_radius_metres: int


@dataclass(frozen=True)
class Findings:
    """The flags, in `EvidenceFlag` order, and the distance from the premises when it could be measured."""

    flags: list[str]
    premises_distance_m: int | None


def normalise_phone(phone: str) -> str:
    """A mainland mobile number as its bare digits: spaces, dashes, brackets and a +86/0086 prefix dropped."""
    digits = re.sub(r"\D", "", phone or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def phone_matches(claimed: str, registered: str) -> bool:
    """Whether the phone given with a photo is the uploader's registered phone (定手机号码) [R: regulations.md
    §5.3 "五定防伪"]; an uploader with no registered phone cannot be matched."""
    registered = normalise_phone(registered)
    return bool(registered) and normalise_phone(claimed) == registered


def evidence_findings(
    *,
    is_image: bool,
    claimed_at: datetime.datetime,
    claimed_position: Position,
    exif_taken_at: datetime.datetime | None,
    exif_position: Position | None,
    premises: Position | None,
    tolerances: Tolerances,
    is_duplicate: bool,
    phone: str,
    registered_phone: str,
) -> Findings:
    """The 五定 checks [R: regulations.md §5.3 "五定防伪"; tolerances are configuration]:
    - no_exif: an image without an EXIF capture time or without an EXIF position (a PDF has no EXIF to miss);
    - time_mismatch: EXIF time and claimed time more than `time_minutes` apart;
    - place_mismatch: EXIF position and claimed position more than `place_metres` apart;
    - far_from_premises: where the photo was taken (its EXIF position, else the claimed one) lies more than
      `premises_radius_metres` from the premises;
    - duplicate: the same bytes (SHA-256) were uploaded before;
    - phone_mismatch: the phone given is not the uploader's registered phone."""
    found: set[str] = set()
    if is_image and (exif_taken_at is None or exif_position is None):
        found.add(EvidenceFlag.NO_EXIF)
    time_tolerance = datetime.timedelta(minutes=tolerances.time_minutes)
    if exif_taken_at is not None and abs(exif_taken_at - claimed_at) > time_tolerance:
        found.add(EvidenceFlag.TIME_MISMATCH)
    if exif_position is not None and distance_metres(*exif_position, *claimed_position) > tolerances.place_metres:
        found.add(EvidenceFlag.PLACE_MISMATCH)
    premises_distance = None
    if premises is not None:
        premises_distance = round(distance_metres(*(exif_position or claimed_position), *premises))
        if premises_distance > tolerances.premises_radius_metres:
            found.add(EvidenceFlag.FAR_FROM_PREMISES)
    if is_duplicate:
        found.add(EvidenceFlag.DUPLICATE)
    if not phone_matches(phone, registered_phone):
        found.add(EvidenceFlag.PHONE_MISMATCH)
    return Findings(flags=[flag.value for flag in EvidenceFlag if flag in found], premises_distance_m=premises_distance)


def capture_time_in_future(*, captured_at: datetime.datetime, now: datetime.datetime, tolerance_minutes: int) -> bool:
    """A capture time later than now by more than the clock tolerance cannot be true (定时间)
    [R: regulations.md §5.3 "五定防伪"; the tolerance is configuration]."""
    return captured_at - now > datetime.timedelta(minutes=tolerance_minutes)
