"""Registry writes: validation as field errors, warnings that never block, an audit entry for every change."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from stdnum.cn import uscc

from shian.core.models import AuditEntry, Evidence
from shian.core.tests.factories import BusinessUserFactory, region
from shian.registry.choices import LicenceKind, OperatorCategory, StaffRole
from shian.registry.models import Filing, Licence, Operator, Staff
from shian.registry.rules import mod11_10_check_digit
from shian.registry.services import (
    filing_create,
    filing_update,
    licence_create,
    licence_update,
    operator_create,
    operator_update,
    staff_create,
    staff_deactivate,
    staff_health_certificate_upload,
    staff_reactivate,
    staff_update,
)
from shian.registry.tests.factories import MembershipFactory, OperatorFactory, credit_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ID_NUMBER = "11010519491231002X"  # the GB 11643 example [regulations.md §7.5]


def jy(county: str = "320508", serial: str = "000001", fmt: str = "2") -> str:
    """A JY number with a correct check digit."""
    body = f"{fmt}{county}{serial}"
    return f"JY{body}{mod11_10_check_digit(body)}"


def entries(obj, action: str):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), action=action
    )


# --- operators ---------------------------------------------------------------------------------------------


def test_an_inspector_registers_a_canteen_in_their_county(inspector):
    operator = operator_create(
        by=inspector,
        name="姑苏区实验小学食堂",
        credit_code=credit_code(11),
        category=OperatorCategory.CANTEEN,
        canteen_kind="school",
        special_foods=["infant_formula"],
        region=region("320508"),
    )
    entry = entries(operator, "operator.create").get()
    assert entry.actor == inspector and entry.after["canteen_kind"] == "school"


def test_an_inspector_cannot_register_a_business_in_another_county(inspector):
    with pytest.raises(ValidationError) as caught:
        operator_create(by=inspector, name="吴中饭店", credit_code=credit_code(12), region=region("320506"))
    assert "region" in caught.value.message_dict
    assert not Operator.objects.filter(name="吴中饭店").exists()
    assert not AuditEntry.objects.filter(action="operator.create").exists()


def test_an_inspector_cannot_move_a_business_out_of_their_county(inspector):
    operator = OperatorFactory()
    with pytest.raises(ValidationError) as caught:
        operator_update(operator=operator, by=inspector, region=region("320506"))
    assert "region" in caught.value.message_dict
    operator.refresh_from_db()
    assert operator.region_id == "320508"


def test_a_credit_code_warning_does_not_block_registration(inspector):
    body = "92320508" + "00000000" + "1"  # 个体工商户 with a placeholder organisation code
    operator = operator_create(
        by=inspector, name="个体面馆", credit_code=body + uscc.calc_check_digit(body), region=region("320508")
    )
    assert operator.pk and operator.credit_code_warnings


def test_a_bad_credit_code_is_a_field_error(inspector):
    with pytest.raises(ValidationError) as caught:
        operator_create(by=inspector, name="坏代码店", credit_code="91320500000000000X", region=region("320508"))
    assert "credit_code" in caught.value.message_dict


def test_a_canteen_needs_its_kind(inspector):
    with pytest.raises(ValidationError) as caught:
        operator_create(
            by=inspector, name="无类型食堂", credit_code=credit_code(13), category="canteen", region=region("320508")
        )
    assert "canteen_kind" in caught.value.message_dict


# --- licences ----------------------------------------------------------------------------------------------


def test_a_licence_takes_its_kind_from_the_number_and_is_audited(inspector):
    operator = OperatorFactory()
    licence = licence_create(operator=operator, by=inspector, number=" jy" + jy()[2:] + " ", authority="姑苏区局")
    assert (licence.kind, licence.number) == (LicenceKind.JY, jy())
    assert licence.warnings == []
    assert entries(licence, "licence.create").get().region_id == "320508"

    production = licence_create(operator=operator, by=inspector, number="SC11464010500015")
    assert production.kind == LicenceKind.SC


def test_check_digit_and_county_mismatches_are_warnings_not_errors(inspector):
    operator = OperatorFactory()
    wrong_check = jy()[:-1] + str((int(jy()[-1]) + 1) % 10)
    licence = licence_create(operator=operator, by=inspector, number=wrong_check)
    assert any("check digit" in w for w in licence.warnings)
    elsewhere = licence_create(operator=operator, by=inspector, number=jy(county="320506"))
    assert any("320506" in w for w in elsewhere.warnings)


@pytest.mark.parametrize("bad", ["JY4320508000001", "QS110001234567", "JY2320508000001X", ""])
def test_a_malformed_licence_number_is_a_field_error_and_nothing_is_saved(inspector, bad):
    operator = OperatorFactory()
    with pytest.raises(ValidationError) as caught:
        licence_create(operator=operator, by=inspector, number=bad)
    assert list(caught.value.message_dict) == ["number"]
    assert not Licence.objects.exists() and not AuditEntry.objects.filter(action="licence.create").exists()


def test_a_licence_number_is_unique(inspector):
    licence_create(operator=OperatorFactory(), by=inspector, number=jy())
    with pytest.raises(ValidationError) as caught:
        licence_create(operator=OperatorFactory(), by=inspector, number=jy())
    assert "number" in caught.value.message_dict


def test_a_licence_expires_after_it_is_issued(inspector):
    with pytest.raises(ValidationError) as caught:
        licence_create(
            operator=OperatorFactory(),
            by=inspector,
            number=jy(),
            issued_on=datetime.date(2024, 5, 1),
            expires_on=datetime.date(2024, 4, 30),
        )
    assert "expires_on" in caught.value.message_dict


def test_changing_a_licence_records_before_and_after(inspector):
    licence = licence_create(
        operator=OperatorFactory(), by=inspector, number=jy(), expires_on=datetime.date(2026, 1, 1)
    )
    licence_update(licence=licence, by=inspector, number="SC11464010500015", expires_on=datetime.date(2030, 1, 1))
    licence.refresh_from_db()
    assert licence.kind == LicenceKind.SC
    entry = entries(licence, "licence.update").get()
    assert entry.before["number"] == jy() and entry.after["number"] == "SC11464010500015"
    assert (entry.before["expires_on"], entry.after["expires_on"]) == ("2026-01-01", "2030-01-01")


# --- filings -----------------------------------------------------------------------------------------------


def test_filings_are_added_changed_and_audited(inspector):
    operator = OperatorFactory(category=OperatorCategory.SALES)
    filing = filing_create(
        operator=operator, by=inspector, number="YB13205080000123", filed_on=datetime.date(2024, 3, 1)
    )
    filing_update(filing=filing, by=inspector, number="YB13205080000123", cancelled_on=datetime.date(2025, 3, 1))
    assert entries(filing, "filing.create").exists()
    assert entries(filing, "filing.update").get().after["cancelled_on"] == "2025-03-01"

    with pytest.raises(ValidationError) as caught:
        filing_update(filing=filing, by=inspector, cancelled_on=datetime.date(2023, 1, 1))
    assert "cancelled_on" in caught.value.message_dict
    assert Filing.objects.get().cancelled_on == datetime.date(2025, 3, 1)


# --- staff -------------------------------------------------------------------------------------------------


@pytest.fixture
def officer(db):
    return MembershipFactory(user=BusinessUserFactory()).user


def test_a_business_user_adds_staff_and_the_audit_masks_the_id_number(officer):
    operator = officer.operator_memberships.get().operator
    staff = staff_create(
        operator=operator,
        by=officer,
        name="张伟",
        role=StaffRole.WORKER,
        id_number="11010519491231002x",
        health_certificate_expires_on=datetime.date(2026, 6, 30),
    )
    assert staff.id_number == ID_NUMBER  # stored whole (the check character upper-cased)
    entry = entries(staff, "staff.create").get()
    assert entry.actor == officer and entry.after["id_number"] == "1101051949****002X"
    assert ID_NUMBER not in str(entry.after)


def test_a_bad_id_number_is_a_field_error_and_nothing_is_saved(officer):
    operator = officer.operator_memberships.get().operator
    with pytest.raises(ValidationError) as caught:
        staff_create(operator=operator, by=officer, name="李四", id_number="110105194912310021")
    assert list(caught.value.message_dict) == ["id_number"]
    assert not Staff.objects.exists() and not AuditEntry.objects.filter(action="staff.create").exists()


def test_a_health_certificate_expires_after_it_is_issued(officer):
    operator = officer.operator_memberships.get().operator
    with pytest.raises(ValidationError) as caught:
        staff_create(
            operator=operator,
            by=officer,
            name="王五",
            health_certificate_issued_on=datetime.date(2025, 1, 1),
            health_certificate_expires_on=datetime.date(2024, 1, 1),
        )
    assert "health_certificate_expires_on" in caught.value.message_dict


def test_updating_staff_without_an_id_number_keeps_the_stored_one(officer):
    operator = officer.operator_memberships.get().operator
    staff = staff_create(operator=operator, by=officer, name="张伟", id_number=ID_NUMBER)
    staff_update(staff=staff, by=officer, name="张伟强", id_number="", role=StaffRole.OFFICER)
    staff.refresh_from_db()
    assert (staff.name, staff.id_number, staff.role) == ("张伟强", ID_NUMBER, StaffRole.OFFICER)
    entry = entries(staff, "staff.update").get()
    assert (entry.before["name"], entry.after["name"]) == ("张伟", "张伟强")


def test_deactivating_and_reactivating_staff_is_audited(officer):
    operator = officer.operator_memberships.get().operator
    staff = staff_create(operator=operator, by=officer, name="张伟")
    staff_deactivate(staff=staff, by=officer)
    assert Staff.objects.get().active is False
    staff_reactivate(staff=staff, by=officer)
    assert Staff.objects.get().active is True
    assert entries(staff, "staff.deactivate").get().after["active"] is False
    assert entries(staff, "staff.reactivate").get().after["active"] is True


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_health_certificate_scan_is_filed_as_evidence_of_the_business_and_linked(settings, tmp_path, officer):
    settings.MEDIA_ROOT = tmp_path / "media"
    operator = officer.operator_memberships.get().operator
    staff = staff_create(operator=operator, by=officer, name="张伟")
    evidence = staff_health_certificate_upload(
        staff=staff,
        by=officer,
        file=SimpleUploadedFile("cert.jpg", jpeg(), "image/jpeg"),
        face_photo=SimpleUploadedFile("face.jpg", jpeg(), "image/jpeg"),
        captured_at=timezone.now() - datetime.timedelta(minutes=5),
        latitude="31.317000",
        longitude="120.619000",
        phone=officer.phone,
        scene="张伟的健康证",
    )
    staff.refresh_from_db()
    assert staff.health_certificate_evidence == evidence
    assert (evidence.operator, evidence.region_id, evidence.subject) == (operator, "320508", staff)
    assert Evidence.objects.visible_to(officer).filter(pk=evidence.pk).exists()
    assert (
        entries(staff, "staff.health_certificate.attach").get().after["health_certificate_evidence_id"] == evidence.pk
    )


def test_a_rejected_health_certificate_upload_links_nothing(settings, tmp_path, officer):
    settings.MEDIA_ROOT = tmp_path / "media"
    operator = officer.operator_memberships.get().operator
    staff = staff_create(operator=operator, by=officer, name="张伟")
    with pytest.raises(ValidationError) as caught:
        staff_health_certificate_upload(
            staff=staff,
            by=officer,
            file=SimpleUploadedFile("cert.txt", b"not an image", "text/plain"),
            face_photo=SimpleUploadedFile("face.jpg", jpeg(), "image/jpeg"),
            captured_at=timezone.now(),
            latitude="31.3",
            longitude="120.6",
            phone=officer.phone,
            scene="健康证",
        )
    assert "file" in caught.value.message_dict
    staff.refresh_from_db()
    assert staff.health_certificate_evidence is None and not Evidence.objects.exists()
