"""Evidence (五定) uploads: validate, hash, compare EXIF with the claim, store the files, then the row, the
audit entry and the ledger entry in one transaction."""

import contextlib
import datetime
import hashlib
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from ..choices import RegionLevel, UserKind
from ..models import Evidence, Region
from ..rules import region_contains
from ..services.audit import audit_record
from ..services.ledger import ledger_append, ledger_lock
from .exif import ExifFacts, read_exif
from .rules import Tolerances, capture_time_in_future, evidence_findings

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF_TYPE = "application/pdf"
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", PDF_TYPE: ".pdf"}
_MICRODEGREE = Decimal("0.000001")


def stored_type(name: str) -> str:
    """The MIME type of a stored evidence file: its name ends as its sniffed type (see `evidence_upload`)."""
    by_extension = {extension: mime for mime, extension in EXTENSIONS.items()}
    return by_extension.get("." + name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def sniff_type(file) -> str | None:
    """The MIME type of a file judged by its content (never by its name or the client's word): a JPEG, PNG or
    WEBP image that Pillow verifies, or a PDF by its `%PDF-` header; None for anything else."""
    file.seek(0)
    if file.read(5) == b"%PDF-":
        file.seek(0)
        return PDF_TYPE
    file.seek(0)
    try:
        with Image.open(file, formats=list(IMAGE_TYPES)) as image:
            kind = IMAGE_TYPES.get(image.format)
            image.verify()
    except Exception:  # Pillow raises many kinds on a broken, truncated or oversized image
        return None
    finally:
        file.seek(0)
    return kind


def file_sha256(file) -> str:
    """SHA-256 of the whole file, read in chunks."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _check_file(file, *, limit: int, allowed: set[str], wrong_type: str) -> tuple[str | None, list[str]]:
    """The sniffed type of an uploaded file and what is wrong with it."""
    if file is None:
        return None, [_("This file is required.")]
    size = file.size or 0
    if size == 0:
        return None, [_("The file is empty.")]
    if size > limit:
        message = _("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
        return None, [message]
    kind = sniff_type(file)
    if kind not in allowed:
        return None, [wrong_type]
    return kind, []


def _coordinate(value, limit: int) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return number.quantize(_MICRODEGREE)


def _scope_errors(*, uploaded_by, region: Region, operator) -> dict[str, list[str]]:
    """Where this uploader may file evidence: regulators within their jurisdiction, businesses on their own
    operators only, so that every upload stays visible to the one who made it."""
    if operator is not None:
        if not type(operator).objects.visible_to(uploaded_by).filter(pk=operator.pk).exists():
            return {"operator": [_("You may only attach evidence to a food business you can see.")]}
        if operator.region_id != region.pk:
            return {"operator": [_("The food business lies outside the chosen county.")]}
    if uploaded_by.is_superuser:
        return {}
    if uploaded_by.kind == UserKind.REGULATOR:
        if not uploaded_by.jurisdiction_id or not region_contains(uploaded_by.jurisdiction_id, region.pk):
            return {"region": [_("The county lies outside your jurisdiction.")]}
        return {}
    if uploaded_by.kind == UserKind.BUSINESS:
        if operator is None:
            return {"operator": [_("Choose the food business this evidence belongs to.")]}
        return {}
    return {"region": [_("Your account cannot file evidence.")]}


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _utc(value: datetime.datetime | None) -> datetime.datetime | None:
    return value.astimezone(datetime.UTC) if value is not None else None


def _delete_stored(*fields) -> None:
    for field in fields:
        if field and field.name:
            # Keep the original error; a file left behind is harmless and named by a random id.
            with contextlib.suppress(Exception):
                field.storage.delete(field.name)


def evidence_upload(
    *,
    file,
    face_photo,
    captured_at: datetime.datetime,
    latitude,
    longitude,
    phone: str,
    scene: str,
    uploaded_by,
    region: Region | None,
    operator=None,
    subject: models.Model | None = None,
    premises: tuple[float, float] | None = None,
) -> Evidence:
    """File a 五定 photo or PDF: check it, hash it, compare its EXIF with the claim and the premises
    (`premises`, else the operator's), store both files, then the row, the audit entry and a ledger entry.
    Raises ValidationError (field → messages) and stores nothing when the input is invalid. Inside a caller's
    transaction that later rolls back, the stored files stay behind (storage has no rollback)."""
    config = settings.SHIAN_EVIDENCE
    errors: dict[str, list[str]] = {}

    mime_type, problems = _check_file(
        file,
        limit=config["MAX_BYTES"],
        allowed={*IMAGE_TYPES.values(), PDF_TYPE},
        wrong_type=_("Upload a JPEG, PNG or WEBP photo, or a PDF document."),
    )
    if problems:
        errors["file"] = problems
    face_type, problems = _check_file(
        face_photo,
        limit=config["FACE_MAX_BYTES"],
        allowed=set(IMAGE_TYPES.values()),
        wrong_type=_("The photographer's face must be a JPEG, PNG or WEBP photo."),
    )
    if problems:
        errors["face_photo"] = problems

    now = timezone.now()
    if captured_at is None:
        errors["captured_at"] = [_("The capture time is required.")]
    else:
        captured_at = _aware(captured_at)
        if capture_time_in_future(captured_at=captured_at, now=now, tolerance_minutes=config["TIME_TOLERANCE_MINUTES"]):
            errors["captured_at"] = [_("The capture time lies in the future.")]
    lat, lon = _coordinate(latitude, 90), _coordinate(longitude, 180)
    if lat is None:
        errors["latitude"] = [_("The latitude must be a number between -90 and 90.")]
    if lon is None:
        errors["longitude"] = [_("The longitude must be a number between -180 and 180.")]
    scene, phone = (scene or "").strip(), (phone or "").strip()
    if not scene:
        errors["scene"] = [_("Describe what the photo shows.")]
    if not phone:
        errors["phone"] = [_("The uploader's phone number is required.")]
    if region is None:
        errors["region"] = [_("The county is required.")]
    elif region.level != RegionLevel.COUNTY:
        errors["region"] = [_("Evidence belongs to a county-level region.")]
    else:
        for field, messages in _scope_errors(uploaded_by=uploaded_by, region=region, operator=operator).items():
            errors.setdefault(field, []).extend(messages)

    evidence = Evidence(
        public_id=uuid.uuid4(),
        mime_type=mime_type or "",
        size=file.size if file is not None else 0,
        original_name=(getattr(file, "name", "") or "").rsplit("/", 1)[-1][-255:],
        captured_at=captured_at,
        latitude=lat,
        longitude=lon,
        phone=phone,
        scene=scene,
        uploaded_by=uploaded_by,
        region=region,
        operator=operator,
    )
    if subject is not None:
        evidence.subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        evidence.subject_id = str(subject.pk)
    try:
        evidence.full_clean(exclude=["file", "face_photo", "sha256", "face_sha256", "mime_type", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    evidence.sha256, evidence.face_sha256 = file_sha256(file), file_sha256(face_photo)
    exif = read_exif(file) if evidence.is_image else ExifFacts()
    file.seek(0)
    evidence.exif_taken_at = exif.taken_at
    evidence.exif_latitude, evidence.exif_longitude = exif.latitude, exif.longitude
    if premises is None and operator is not None:
        premises = operator.premises

    # Files first, outside any transaction: on SQLite a transaction holds the database's write lock from its
    # start, and writing megabytes to storage must not block every other writer. Then the row, the audit entry
    # and the ledger entry in one transaction; if anything fails after the files were written, they are removed.
    try:
        evidence.file.save(f"{evidence.public_id.hex}{EXTENSIONS[mime_type]}", file, save=False)
        evidence.face_photo.save(f"{evidence.public_id.hex}-face{EXTENSIONS[face_type]}", face_photo, save=False)
        with transaction.atomic():
            ledger_lock()  # concurrent uploads of the same file queue here, so the second sees the first
            evidence.duplicate_of = (
                Evidence.objects.filter(sha256=evidence.sha256).order_by("uploaded_at", "pk").first()
            )
            findings = evidence_findings(
                is_image=evidence.is_image,
                claimed_at=captured_at,
                claimed_position=(float(lat), float(lon)),
                exif_taken_at=exif.taken_at,
                exif_position=exif.position,
                premises=premises,
                tolerances=Tolerances(
                    time_minutes=config["TIME_TOLERANCE_MINUTES"],
                    place_metres=config["PLACE_TOLERANCE_METRES"],
                    premises_radius_metres=config["PREMISES_RADIUS_METRES"],
                ),
                is_duplicate=evidence.duplicate_of is not None,
                phone=phone,
                registered_phone=uploaded_by.phone,
            )
            evidence.flags, evidence.premises_distance_m = findings.flags, findings.premises_distance_m
            evidence.save()
            audit_record(actor=uploaded_by, action="evidence.upload", obj=evidence)
            ledger_append(kind="evidence.upload", payload=_ledger_payload(evidence), obj=evidence, actor=uploaded_by)
    except BaseException:
        _delete_stored(evidence.file, evidence.face_photo)
        raise
    return evidence


def _ledger_payload(evidence: Evidence) -> dict:
    """What the ledger fixes about an upload: both hashes and the five facts, with what the server found."""
    return {
        "public_id": str(evidence.public_id),
        "sha256": evidence.sha256,
        "face_sha256": evidence.face_sha256,
        "mime_type": evidence.mime_type,
        "size": evidence.size,
        "captured_at": _utc(evidence.captured_at),
        "latitude": evidence.latitude,
        "longitude": evidence.longitude,
        "phone": evidence.phone,
        "scene": evidence.scene,
        "exif": {
            "taken_at": _utc(evidence.exif_taken_at),
            "latitude": evidence.exif_latitude,
            "longitude": evidence.exif_longitude,
        },
        "premises_distance_m": evidence.premises_distance_m,
        "flags": evidence.flags,
        "duplicate_of": str(evidence.duplicate_of.public_id) if evidence.duplicate_of else None,
        "uploaded_by": evidence.uploaded_by_id,
        "region": evidence.region_id,
        "operator": evidence.operator_id,
    }
