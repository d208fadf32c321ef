"""Evidence (五定) uploads end to end: the service, the pages and the API."""

import datetime
import hashlib
import io
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from shian.core.choices import Role
from shian.core.evidence import forms as evidence_forms
from shian.core.evidence import services
from shian.core.evidence.services import evidence_upload
from shian.core.models import AuditEntry, Evidence, LedgerEntry
from shian.core.services.ledger import ledger_verify
from shian.core.services.tokens import api_token_create
from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, UserFactory, region
from shian.registry.tests.factories import MembershipFactory, OperatorFactory

PREMISES = (31.3, 120.6)
METRES_PER_DEGREE_LATITUDE = 111_195
_colours = itertools.count(1)


def north_of(position, metres):
    return round(position[0] + metres / METRES_PER_DEGREE_LATITUDE, 6), position[1]


def dms(value: float) -> tuple:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    millis = round((value - degrees - minutes / 60) * 3600 * 1000)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(millis, 1000)


def photo(*, taken_at: datetime.datetime | None = None, position=None, fmt: str = "JPEG") -> bytes:
    """A real image, a different one each call, with EXIF time and GPS when given."""
    exif = Image.Exif()
    if taken_at is not None:
        local = timezone.localtime(taken_at)
        exif[0x8769] = {0x9003: local.strftime("%Y:%m:%d %H:%M:%S"), 0x9011: local.strftime("%z")[:3] + ":00"}
    if position is not None:
        lat, lon = position
        exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: dms(abs(lat)), 3: "E" if lon >= 0 else "W", 4: dms(abs(lon))}
    n = next(_colours)
    buffer = io.BytesIO()
    Image.new("RGB", (24, 24), (n % 256, n // 256 % 256, 77)).save(buffer, fmt, exif=exif)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
PDF += b"trailer <</Root 1 0 R>>\n%%EOF\n"


def claimed_time() -> datetime.datetime:
    return (timezone.now() - datetime.timedelta(hours=1)).replace(microsecond=0)


def upload(user, *, content=None, name="photo.jpg", face=None, captured_at=None, position=PREMISES, **kwargs):
    captured_at = captured_at or claimed_time()
    if content is None:
        content = photo(taken_at=captured_at, position=position)
    facts = {
        "file": SimpleUploadedFile(name, content, "image/jpeg"),
        "face_photo": SimpleUploadedFile("face.jpg", face if face is not None else photo(), "image/jpeg"),
        "captured_at": captured_at,
        "latitude": position[0],
        "longitude": position[1],
        "phone": user.phone,
        "scene": "后厨操作间",
        "uploaded_by": user,
        "region": region("320508"),
    }
    facts.update(kwargs)
    return evidence_upload(**facts)


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def operator(db):
    return OperatorFactory(region=region("320508"), latitude=PREMISES[0], longitude=PREMISES[1])


@pytest.fixture
def wuzhong_operator(db):
    return OperatorFactory(region=region("320506"), latitude=31.27, longitude=120.63)


# --- the service ----------------------------------------------------------------------------------


def test_upload_stores_the_files_their_hashes_and_the_exif(media, inspector, operator):
    captured_at = claimed_time()
    content, face = photo(taken_at=captured_at, position=PREMISES), photo()

    evidence = upload(inspector, content=content, face=face, captured_at=captured_at, operator=operator)

    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.face_sha256 == hashlib.sha256(face).hexdigest()
    assert evidence.mime_type == "image/jpeg"
    assert evidence.size == len(content)
    assert evidence.original_name == "photo.jpg"
    assert evidence.exif_taken_at == captured_at
    assert float(evidence.exif_latitude) == pytest.approx(PREMISES[0], abs=1e-6)
    assert float(evidence.exif_longitude) == pytest.approx(PREMISES[1], abs=1e-6)
    assert evidence.flags == []
    assert evidence.premises_distance_m == 0
    assert evidence.duplicate_of is None
    with evidence.file.open("rb") as stored:
        assert stored.read() == content
    with evidence.face_photo.open("rb") as stored:
        assert stored.read() == face
    assert len(stored_files(media)) == 2


def test_upload_writes_an_audit_entry_and_a_ledger_entry(media, inspector, operator):
    evidence = upload(inspector, operator=operator, phone="13999999999")

    audit = AuditEntry.objects.get(action="evidence.upload", object_id=str(evidence.pk))
    assert audit.actor == inspector
    assert audit.region_id == "320508"
    assert audit.content_type == ContentType.objects.get_for_model(Evidence)
    assert audit.after["sha256"] == evidence.sha256

    entry = LedgerEntry.objects.get(kind="evidence.upload", object_id=str(evidence.pk))
    assert entry.actor_id == inspector.pk
    assert entry.payload["sha256"] == evidence.sha256
    assert entry.payload["face_sha256"] == evidence.face_sha256
    assert entry.payload["phone"] == "13999999999"
    assert entry.payload["scene"] == "后厨操作间"
    assert entry.payload["flags"] == ["phone_mismatch"]
    assert entry.payload["uploaded_by"] == inspector.pk
    assert entry.payload["latitude"] == "31.300000"
    assert entry.payload["exif"]["latitude"] == "31.300000"
    assert datetime.datetime.fromisoformat(entry.payload["captured_at"]) == evidence.captured_at
    assert datetime.datetime.fromisoformat(entry.payload["exif"]["taken_at"]) == evidence.exif_taken_at
    assert ledger_verify().ok


@pytest.mark.parametrize(("fmt", "mime"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_photos_are_accepted_and_read(media, inspector, fmt, mime):
    captured_at = claimed_time()
    evidence = upload(inspector, content=photo(taken_at=captured_at, position=PREMISES, fmt=fmt), name="x.bin")
    assert evidence.mime_type == mime
    assert evidence.exif_taken_at == captured_at
    assert evidence.flags == []
    assert evidence.file.name.endswith("." + fmt.lower())


def test_a_pdf_is_accepted_without_exif_flags(media, inspector, operator):
    evidence = upload(inspector, content=PDF, name="report.pdf", operator=operator)
    assert evidence.mime_type == "application/pdf"
    assert evidence.flags == []
    assert evidence.exif_taken_at is None
    assert evidence.file.name.endswith(".pdf")


@pytest.mark.parametrize(("minutes", "flags"), [(9, []), (-9, []), (11, ["time_mismatch"]), (-11, ["time_mismatch"])])
def test_time_mismatch_beyond_ten_minutes(media, inspector, minutes, flags):
    captured_at = claimed_time()
    content = photo(taken_at=captured_at + datetime.timedelta(minutes=minutes), position=PREMISES)
    assert upload(inspector, content=content, captured_at=captured_at).flags == flags


@pytest.mark.parametrize(("metres", "flags"), [(150, []), (300, ["place_mismatch"])])
def test_place_mismatch_beyond_two_hundred_metres(media, inspector, operator, metres, flags):
    captured_at = claimed_time()
    content = photo(taken_at=captured_at, position=PREMISES)
    evidence = upload(
        inspector, content=content, captured_at=captured_at, position=north_of(PREMISES, metres), operator=operator
    )
    assert evidence.flags == flags


@pytest.mark.parametrize(("metres", "flags"), [(400, []), (700, ["far_from_premises"])])
def test_far_from_the_operator_s_premises(media, inspector, operator, metres, flags):
    evidence = upload(inspector, position=north_of(PREMISES, metres), operator=operator)
    assert evidence.flags == flags
    assert evidence.premises_distance_m == pytest.approx(metres, abs=2)


def test_explicit_premises_are_used_instead_of_the_operator_s(media, inspector, operator):
    elsewhere = north_of(PREMISES, 2000)
    evidence = upload(inspector, position=elsewhere, operator=operator, premises=elsewhere)
    assert evidence.flags == []
    assert evidence.premises_distance_m == 0


def test_without_premises_nothing_is_measured(media, inspector):
    evidence = upload(inspector, position=north_of(PREMISES, 5000))
    assert evidence.premises_distance_m is None
    assert evidence.flags == []


def test_the_same_bytes_uploaded_again_are_a_duplicate_of_the_first(media, inspector, other_county_inspector):
    captured_at = claimed_time()
    content = photo(taken_at=captured_at, position=PREMISES)

    first = upload(inspector, content=content, captured_at=captured_at)
    second = upload(inspector, content=content, captured_at=captured_at)
    third = upload(other_county_inspector, content=content, captured_at=captured_at, region=region("320506"))

    assert first.flags == [] and first.duplicate_of is None
    assert second.flags == ["duplicate"] and second.duplicate_of == first
    assert third.flags == ["duplicate"] and third.duplicate_of == first
    assert upload(inspector, captured_at=captured_at).duplicate_of is None


def test_phone_other_than_the_registered_one_is_flagged(media, inspector):
    assert upload(inspector, phone="13911112222").flags == ["phone_mismatch"]
    registered = inspector.phone
    assert upload(inspector, phone=f"+86 {registered[:3]}-{registered[3:7]}-{registered[7:]}").flags == []


def test_an_uploader_without_a_registered_phone_is_flagged(media, inspector):
    inspector.phone = ""
    inspector.save()
    assert upload(inspector, phone="13911112222").flags == ["phone_mismatch"]


def test_photos_without_exif_time_or_gps_are_flagged(media, inspector):
    bare = upload(inspector, content=photo())
    assert bare.flags == ["no_exif"]
    assert (bare.exif_taken_at, bare.exif_latitude, bare.exif_longitude) == (None, None, None)

    captured_at = claimed_time()
    without_gps = upload(inspector, content=photo(taken_at=captured_at), captured_at=captured_at)
    assert without_gps.flags == ["no_exif"]
    assert without_gps.exif_taken_at == captured_at


def test_evidence_can_be_bound_to_a_subject(media, inspector, operator):
    evidence = upload(inspector, operator=operator, subject=operator)
    evidence.refresh_from_db()
    assert evidence.subject == operator


def _assert_rejected(media, field, **kwargs):
    with pytest.raises(ValidationError) as caught:
        upload(**kwargs)
    assert set(caught.value.message_dict) == {field}
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []
    assert not LedgerEntry.objects.filter(kind="evidence.upload").exists()
    return caught.value.message_dict[field]


def test_an_oversize_file_is_refused_naming_the_limit_and_nothing_is_stored(media, settings, inspector):
    settings.SHIAN_EVIDENCE = {**settings.SHIAN_EVIDENCE, "MAX_BYTES": 1000}
    content = photo(taken_at=claimed_time(), position=PREMISES) + b"\0" * 1000
    messages = _assert_rejected(media, "file", user=inspector, content=content)
    assert filesizeformat(1000) in messages[0]


def test_an_oversize_face_photo_is_refused(media, settings, inspector):
    settings.SHIAN_EVIDENCE = {**settings.SHIAN_EVIDENCE, "FACE_MAX_BYTES": 200}
    messages = _assert_rejected(media, "face_photo", user=inspector, face=photo() + b"\0" * 300)
    assert filesizeformat(200) in messages[0]


@pytest.mark.parametrize(
    "content",
    [b"just text pretending to be a photo", b"GIF89a" + b"\0" * 40, photo()[:60], b""],
    ids=["text", "gif", "truncated-jpeg", "empty"],
)
def test_a_file_that_is_no_photo_or_pdf_is_refused(media, inspector, content):
    _assert_rejected(media, "file", user=inspector, content=content)


def test_a_face_photo_must_be_an_image(media, inspector):
    _assert_rejected(media, "face_photo", user=inspector, face=PDF)


def test_a_capture_time_in_the_future_is_refused(media, inspector):
    later = timezone.now() + datetime.timedelta(minutes=30)
    _assert_rejected(media, "captured_at", user=inspector, captured_at=later, content=photo())


@pytest.mark.parametrize(("field", "value"), [("latitude", 91), ("longitude", -181), ("latitude", "north")])
def test_coordinates_out_of_range_are_refused(media, inspector, field, value):
    _assert_rejected(media, field, user=inspector, **{field: value})


@pytest.mark.parametrize("field", ["scene", "phone"])
def test_scene_and_phone_are_required(media, inspector, field):
    _assert_rejected(media, field, user=inspector, **{field: "  "})


def test_the_region_must_be_a_county(media, inspector):
    _assert_rejected(media, "region", user=inspector, region=region("320500"))


def test_the_region_must_lie_in_the_regulator_s_jurisdiction(media, inspector):
    _assert_rejected(media, "region", user=inspector, region=region("320506"))


def test_the_operator_must_lie_in_the_region(media, settings, wuzhong_operator):
    city_inspector = RegulatorFactory(agency=AgencyFactory(region=region("320500")))
    _assert_rejected(media, "operator", user=city_inspector, operator=wuzhong_operator, region=region("320508"))


def test_a_business_user_may_attach_only_to_their_own_operators(media, operator, wuzhong_operator):
    owner = BusinessUserFactory()
    MembershipFactory(user=owner, operator=operator)
    _assert_rejected(media, "operator", user=owner, operator=wuzhong_operator, region=wuzhong_operator.region)
    _assert_rejected(media, "operator", user=owner)
    assert upload(owner, operator=operator).operator == operator


def test_files_are_removed_when_the_database_write_fails(media, inspector, monkeypatch):
    def broken_ledger(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(services, "ledger_append", broken_ledger)
    with pytest.raises(RuntimeError):
        upload(inspector)
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


# --- pages ----------------------------------------------------------------------------------------


@pytest.fixture
def gusu_evidence(media, inspector, operator):
    return upload(inspector, operator=operator, scene="姑苏后厨", phone="13911112222")


@pytest.fixture
def wuzhong_evidence(media, other_county_inspector, wuzhong_operator):
    return upload(
        other_county_inspector,
        operator=wuzhong_operator,
        scene="吴中仓库",
        region=wuzhong_operator.region,
        position=(31.27, 120.63),
    )


def test_list_shows_only_evidence_in_the_inspector_s_county(client, inspector, gusu_evidence, wuzhong_evidence):
    client.force_login(inspector)
    response = client.get(reverse("evidence-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "姑苏后厨" in page
    assert "吴中仓库" not in page
    assert escape(str(gusu_evidence.flag_labels()[0])) in page


@pytest.mark.parametrize("name", ["evidence-detail", "evidence-file", "evidence-face"])
def test_another_county_s_evidence_is_not_found(client, inspector, wuzhong_evidence, name):
    client.force_login(inspector)
    assert client.get(reverse(name, args=[wuzhong_evidence.public_id])).status_code == 404


def test_detail_shows_the_facts_and_explains_the_flags(client, inspector, gusu_evidence):
    client.force_login(inspector)
    response = client.get(reverse("evidence-detail", args=[gusu_evidence.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert gusu_evidence.sha256 in page
    assert "姑苏后厨" in page
    assert reverse("evidence-file", args=[gusu_evidence.public_id]) in page
    assert reverse("evidence-face", args=[gusu_evidence.public_id]) in page
    assert [f["code"] for f in response.context["flags"]] == ["phone_mismatch"]


def test_files_stream_to_those_who_may_see_them(client, inspector, gusu_evidence):
    client.force_login(inspector)
    response = client.get(reverse("evidence-file", args=[gusu_evidence.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == gusu_evidence.sha256
    face = client.get(reverse("evidence-face", args=[gusu_evidence.public_id]))
    assert face["Content-Type"] == "image/jpeg"
    assert hashlib.sha256(b"".join(face.streaming_content)).hexdigest() == gusu_evidence.face_sha256


def test_a_business_user_sees_only_their_operator_s_evidence(client, operator, gusu_evidence, wuzhong_evidence):
    owner = BusinessUserFactory()
    MembershipFactory(user=owner, operator=operator)
    client.force_login(owner)
    page = client.get(reverse("evidence-list")).content.decode()
    assert "姑苏后厨" in page and "吴中仓库" not in page
    assert client.get(reverse("evidence-detail", args=[gusu_evidence.public_id])).status_code == 200
    assert client.get(reverse("evidence-detail", args=[wuzhong_evidence.public_id])).status_code == 404
    assert client.get(reverse("evidence-file", args=[wuzhong_evidence.public_id])).status_code == 404


def test_the_duplicate_link_hides_a_first_upload_outside_the_user_s_scope(
    client, media, inspector, other_county_inspector
):
    content = photo(taken_at=claimed_time(), position=PREMISES)
    first = upload(other_county_inspector, content=content, region=region("320506"))
    again = upload(inspector, content=content)
    client.force_login(inspector)
    response = client.get(reverse("evidence-detail", args=[again.public_id]))
    assert response.context["first_upload"] is None
    assert str(first.public_id) not in response.content.decode()


def test_pages_need_the_evidence_permissions(client, db):
    client.force_login(UserFactory())  # a member of the public: no evidence permissions
    assert client.get(reverse("evidence-list")).status_code == 403
    assert client.get(reverse("evidence-upload")).status_code == 403
    head = RegulatorFactory(roles=[Role.AGENCY_HEAD])  # may view, may not upload
    client.force_login(head)
    assert client.get(reverse("evidence-list")).status_code == 200
    assert client.get(reverse("evidence-upload")).status_code == 403


def test_the_upload_form_is_ready_for_a_phone(client, inspector):
    client.force_login(inspector)
    page = client.get(reverse("evidence-upload")).content.decode()
    assert 'accept="image/*,application/pdf"' in page
    assert 'capture="environment"' in page
    assert 'capture="user"' in page
    assert f'value="{inspector.phone}"' in page
    assert "shian/evidence.js" in page
    assert 'data-utc-offset-minutes="480"' in page  # the browser writes Shanghai wall time
    assert "<script>" not in page  # CSP: no inline script


def _form_data(*, captured_at=None, position=PREMISES, **extra):
    captured_at = captured_at or claimed_time()
    data = {
        "file": SimpleUploadedFile("p.jpg", photo(taken_at=captured_at, position=position), "image/jpeg"),
        "face_photo": SimpleUploadedFile("f.jpg", photo(), "image/jpeg"),
        "scene": "冷库温度计",
        "phone": "13800000000",
        "captured_at": timezone.localtime(captured_at).strftime("%Y-%m-%dT%H:%M"),
        "latitude": f"{position[0]:.6f}",
        "longitude": f"{position[1]:.6f}",
    }
    data.update(extra)
    return data


def test_an_inspector_uploads_through_the_form(client, media, inspector, operator):
    client.force_login(inspector)
    response = client.post(reverse("evidence-upload"), _form_data(operator=operator.pk, phone=inspector.phone))
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence-detail", args=[evidence.public_id])
    assert evidence.operator == operator and evidence.region_id == "320508"
    assert evidence.uploaded_by == inspector
    assert evidence.flags == []


def test_many_operators_are_chosen_by_link_not_by_drop_down(client, media, monkeypatch, inspector, operator):
    monkeypatch.setattr(evidence_forms, "OPERATOR_SELECT_LIMIT", 1)
    other = OperatorFactory(region=region("320508"), name="第二家面馆")
    client.force_login(inspector)
    page = client.get(reverse("evidence-upload"), {"operator": other.pk}).content.decode()
    assert '<select name="operator"' not in page
    assert f'<input type="hidden" name="operator" value="{other.pk}"' in page
    assert "第二家面馆" in page
    client.post(reverse("evidence-upload"), _form_data(operator=other.pk, phone=inspector.phone))
    assert Evidence.objects.get().operator == other


def test_a_regulator_without_an_operator_chooses_a_county_in_the_jurisdiction(client, media, inspector):
    client.force_login(inspector)
    refused = client.post(reverse("evidence-upload"), _form_data(region="320506"))
    assert refused.status_code == 200
    assert refused.context["form"].has_error("region")
    assert Evidence.objects.count() == 0
    client.post(reverse("evidence-upload"), _form_data(region="320508"))
    assert Evidence.objects.get().region_id == "320508"


def test_the_form_shows_service_errors_and_stores_nothing(client, media, inspector, operator):
    client.force_login(inspector)
    data = _form_data(operator=operator.pk)
    data["file"] = SimpleUploadedFile("p.jpg", b"not an image", "image/jpeg")
    response = client.post(reverse("evidence-upload"), data)
    assert response.status_code == 200
    assert response.context["form"].has_error("file")
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


def test_a_business_user_cannot_pick_another_operator_in_the_form(client, media, operator, wuzhong_operator):
    owner = BusinessUserFactory()
    MembershipFactory(user=owner, operator=operator)
    client.force_login(owner)
    response = client.post(reverse("evidence-upload"), _form_data(operator=wuzhong_operator.pk))
    assert response.context["form"].has_error("operator")
    assert Evidence.objects.count() == 0


# --- API ------------------------------------------------------------------------------------------


def _token(user, scopes):
    _, key = api_token_create(user=user, name="integration", scopes=scopes, days=30)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def _api_data(**extra):
    data = _form_data(**extra)
    data["captured_at"] = timezone.localtime(claimed_time()).isoformat()
    return data


def test_api_lists_and_retrieves_only_visible_evidence(client, inspector, gusu_evidence, wuzhong_evidence):
    client.force_login(inspector)
    listed = client.get("/api/v1/evidence/").json()
    assert [item["public_id"] for item in listed["results"]] == [str(gusu_evidence.public_id)]
    assert listed["results"][0]["flags"] == ["phone_mismatch"]
    assert client.get(f"/api/v1/evidence/{gusu_evidence.public_id}/").status_code == 200
    hidden = client.get(f"/api/v1/evidence/{wuzhong_evidence.public_id}/")
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/evidence/{wuzhong_evidence.public_id}/file/").status_code == 404


def test_api_streams_the_file(client, inspector, gusu_evidence):
    response = client.get(f"/api/v1/evidence/{gusu_evidence.public_id}/file/", **_token(inspector, ["evidence:read"]))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == gusu_evidence.sha256


def test_api_upload_with_a_write_token(client, media, inspector, operator):
    response = client.post(
        "/api/v1/evidence/",
        _api_data(operator=operator.pk, phone=inspector.phone),
        headers={"X-Request-ID": "lab-system-0001"},
        **_token(inspector, ["evidence:write"]),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    evidence = Evidence.objects.get()
    assert body["public_id"] == str(evidence.public_id)
    assert body["region"] == "320508"
    assert body["sha256"] == evidence.sha256
    entry = AuditEntry.objects.get(action="evidence.upload")
    assert (entry.source, entry.request_id, entry.actor) == ("api", "lab-system-0001", inspector)


def test_a_token_without_evidence_write_cannot_upload(client, media, inspector, operator):
    response = client.post("/api/v1/evidence/", _api_data(operator=operator.pk), **_token(inspector, ["evidence:read"]))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Evidence.objects.count() == 0


def test_a_token_without_evidence_read_cannot_list(client, inspector, gusu_evidence):
    assert client.get("/api/v1/evidence/", **_token(inspector, ["evidence:write"])).status_code == 403


def test_api_upload_needs_the_add_permission(client, media, operator):
    head = RegulatorFactory(roles=[Role.AGENCY_HEAD])
    client.force_login(head)
    assert client.post("/api/v1/evidence/", _api_data(operator=operator.pk)).status_code == 403
    assert client.get("/api/v1/evidence/").status_code == 200


def test_api_upload_of_invalid_data_reports_the_fields(client, media, settings, inspector, operator):
    settings.SHIAN_EVIDENCE = {**settings.SHIAN_EVIDENCE, "MAX_BYTES": 100}
    client.force_login(inspector)
    response = client.post("/api/v1/evidence/", _api_data(operator=operator.pk))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["details"]) == ["file"]
    assert filesizeformat(100) in error["details"]["file"][0]
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []

    data = _api_data(operator=operator.pk)
    del data["scene"]
    data["latitude"] = "95"
    details = client.post("/api/v1/evidence/", data).json()["error"]["details"]
    assert set(details) == {"scene", "latitude"}


def test_api_refuses_an_operator_the_caller_cannot_see(client, media, inspector, wuzhong_operator):
    client.force_login(inspector)
    response = client.post("/api/v1/evidence/", _api_data(operator=wuzhong_operator.pk))
    assert response.status_code == 400
    assert "operator" in response.json()["error"]["details"]


def test_the_schema_documents_the_multipart_upload(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    body = schema["paths"]["/api/v1/evidence/"]["post"]["requestBody"]["content"]
    reference = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][reference]["properties"]
    assert properties["file"]["format"] == "binary"
    assert properties["face_photo"]["format"] == "binary"
    assert {"captured_at", "latitude", "longitude", "phone", "scene", "operator", "region"} <= set(properties)
