"""The operator's file (一企一档) and its forms: scoped, permission-checked, validated, audited, and a timeline
that any module can add to."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from shian.core.choices import Role, UserKind
from shian.core.models import AuditEntry
from shian.core.tests.factories import BusinessUserFactory, RegulatorFactory, UserFactory
from shian.registry import timeline
from shian.registry.choices import CanteenKind, OperatorCategory, SpecialFood, StaffRole
from shian.registry.models import Licence, Operator, Staff
from shian.registry.rules import mod11_10_check_digit
from shian.registry.services import licence_create, operator_update, staff_create
from shian.registry.tests.factories import MembershipFactory, OperatorFactory, credit_code

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
MASKED = "1101051949****002X"


def jy(county: str = "320508", serial: str = "000001", fmt: str = "2") -> str:
    body = f"{fmt}{county}{serial}"
    return f"JY{body}{mod11_10_check_digit(body)}"


def html(response) -> str:
    return response.content.decode()


def audit(action: str, obj) -> AuditEntry:
    return AuditEntry.objects.get(
        action=action, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


@pytest.fixture
def shop(db):
    return OperatorFactory(name="姑苏区好味面馆")


@pytest.fixture
def owner(shop):
    """The shop's food-safety officer (a business user)."""
    return MembershipFactory(user=BusinessUserFactory(roles=[Role.OFFICER]), operator=shop).user


@pytest.fixture
def admin(db):
    return RegulatorFactory(username="gusu-admin", roles=[Role.ADMIN])


# --- the file page -----------------------------------------------------------------------------------------


def test_the_file_shows_the_facts_licences_staff_and_links(client, inspector, shop):
    operator_update(
        operator=shop,
        by=inspector,
        category=OperatorCategory.CANTEEN,
        canteen_kind="elderly_care",
        special_foods=["health_food"],
        legal_representative="周大福",
        daily_diners=180,
    )
    licence_create(operator=shop, by=inspector, number=jy(fmt="3"), expires_on=datetime.date(2099, 1, 1))
    staff_create(operator=shop, by=inspector, name="张伟", role=StaffRole.WORKER)
    client.force_login(inspector)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    with translation.override("zh-hans"):
        assert str(OperatorCategory.CANTEEN.label) in page and str(CanteenKind.ELDERLY_CARE.label) in page
        assert str(SpecialFood.HEALTH_FOOD.label) in page
    assert shop.credit_code in page and "周大福" in page and "180" in page
    assert jy(fmt="3") in page and 'data-state="valid"' in page
    assert "张伟" in page
    assert reverse("audit-object", args=["registry.operator", shop.pk]) in page
    assert f"{reverse('evidence-upload')}?operator={shop.pk}" in page
    assert reverse("public-operator", args=[shop.public_id]) in page
    assert reverse("public-placard", args=[shop.public_id]) in page
    assert reverse("operator-edit", args=[shop.pk]) in page and reverse("licence-create", args=[shop.pk]) in page


def test_a_file_in_another_county_is_a_404(client, other_county_inspector, shop):
    client.force_login(other_county_inspector)
    assert client.get(reverse("operator-detail", args=[shop.pk])).status_code == 404
    assert client.get(reverse("operator-edit", args=[shop.pk])).status_code == 404
    assert client.get(reverse("licence-create", args=[shop.pk])).status_code == 404


def test_licence_expiry_state_and_number_warnings_are_shown(client, inspector, shop):
    today = timezone.localdate()
    wrong_check = jy()[:-1] + str((int(jy()[-1]) + 1) % 10)
    licence_create(operator=shop, by=inspector, number=wrong_check, expires_on=today + datetime.timedelta(days=10))
    licence_create(
        operator=shop, by=inspector, number=jy(county="320506"), expires_on=today - datetime.timedelta(days=3)
    )
    client.force_login(inspector)
    page = html(client.get(reverse("operator-detail", args=[shop.pk]), headers={"Accept-Language": "en"}))
    assert 'data-state="expiring"' in page and 'data-state="expired"' in page
    assert page.count('data-testid="licence-warning"') == 2
    assert "check digit" in page and "320506" in page


def test_a_business_user_sees_their_own_file_only(client, owner, shop):
    elsewhere = OperatorFactory()
    client.force_login(owner)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    assert "姑苏区好味面馆" in page and reverse("staff-create", args=[shop.pk]) in page
    assert reverse("operator-edit", args=[shop.pk]) not in page  # regulators edit the business's facts
    assert client.get(reverse("operator-detail", args=[elsewhere.pk])).status_code == 404


def test_staff_id_numbers_are_masked_except_for_those_with_the_right(client, inspector, admin, shop):
    staff_create(operator=shop, by=inspector, name="张伟", id_number=ID_NUMBER)
    client.force_login(inspector)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    assert MASKED in page and ID_NUMBER not in page
    client.force_login(admin)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    assert ID_NUMBER in page


def test_staff_are_hidden_from_roles_without_the_right(client, shop):
    staff_create(operator=shop, by=None, name="张伟")
    committee = RegulatorFactory(roles=[Role.COMMITTEE_OFFICE])
    client.force_login(committee)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    assert "姑苏区好味面馆" in page and "张伟" not in page


def test_health_certificate_states_are_shown(client, owner, shop):
    today = timezone.localdate()
    staff_create(operator=shop, by=owner, name="过期", health_certificate_expires_on=today - datetime.timedelta(days=1))
    staff_create(
        operator=shop, by=owner, name="有效", health_certificate_expires_on=today + datetime.timedelta(days=200)
    )
    client.force_login(owner)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    assert 'data-state="expired"' in page and 'data-state="valid"' in page


# --- operators ---------------------------------------------------------------------------------------------


def operator_post(**overrides) -> dict:
    data = {
        "name": "姑苏区新开餐厅",
        "credit_code": credit_code(77).lower(),
        "category": "catering",
        "canteen_kind": "",
        "region": "320508",
        "address": "苏州市姑苏区干将路1号",
        "latitude": "31.31",
        "longitude": "120.62",
        "daily_diners": "120",
    }
    return {**data, **overrides}


def test_an_inspector_registers_a_business_and_sees_credit_code_warnings(client, inspector):
    client.force_login(inspector)
    form = html(client.get(reverse("operator-create")))
    assert 'value="320508"' in form and 'value="320506"' not in form  # only counties of the jurisdiction
    response = client.post(reverse("operator-create"), operator_post(), follow=True)
    operator = Operator.objects.get(name="姑苏区新开餐厅")
    assert response.redirect_chain[-1][0] == reverse("operator-detail", args=[operator.pk])
    assert operator.credit_code == credit_code(77) and operator.daily_diners == 120
    assert audit("operator.create", operator).actor == inspector
    assert operator.credit_code_warnings and operator.credit_code_warnings[0] in html(response)  # message + facts


def test_registering_in_another_county_is_refused_and_nothing_is_saved(client, inspector):
    client.force_login(inspector)
    response = client.post(reverse("operator-create"), operator_post(region="320506"))
    assert response.status_code == 200 and 'data-field="region"' in html(response)
    assert not Operator.objects.exists()


def test_a_bad_credit_code_is_a_field_error(client, inspector):
    client.force_login(inspector)
    page = html(client.post(reverse("operator-create"), operator_post(credit_code="91320500000000000X")))
    assert 'data-field="credit_code"' in page and "姑苏区新开餐厅" in page  # the input is kept
    assert not Operator.objects.exists() and not AuditEntry.objects.exists()


def test_a_canteen_without_its_kind_is_a_field_error(client, inspector):
    client.force_login(inspector)
    page = html(client.post(reverse("operator-create"), operator_post(category="canteen")))
    assert 'data-field="canteen_kind"' in page
    assert not Operator.objects.exists() and not AuditEntry.objects.exists()


def test_business_users_cannot_register_or_edit_businesses(client, owner, shop):
    client.force_login(owner)
    assert client.get(reverse("operator-create")).status_code == 403
    assert client.post(reverse("operator-edit", args=[shop.pk]), operator_post()).status_code == 403


def test_editing_a_business_is_audited_with_before_and_after(client, inspector, shop):
    client.force_login(inspector)
    form = html(client.get(reverse("operator-edit", args=[shop.pk])))
    assert "姑苏区好味面馆" in form and 'name="status"' in form
    data = operator_post(name="姑苏区好味面馆（总店）", credit_code=shop.credit_code, status="suspended")
    response = client.post(reverse("operator-edit", args=[shop.pk]), data)
    assert response.status_code == 302
    entry = audit("operator.update", shop)
    assert (entry.before["name"], entry.after["name"]) == ("姑苏区好味面馆", "姑苏区好味面馆（总店）")
    assert entry.after["status"] == "suspended"


# --- licences and filings ----------------------------------------------------------------------------------


def test_adding_a_licence_derives_its_kind_and_shows_its_warnings(client, inspector, shop):
    client.force_login(inspector)
    response = client.post(
        reverse("licence-create", args=[shop.pk]),
        {
            "number": jy(county="320506").lower(),
            "issued_on": "2022-01-01",
            "expires_on": "2027-01-01",
            "status": "valid",
        },
        follow=True,
    )
    licence = Licence.objects.get()
    assert (licence.kind, licence.operator) == ("JY", shop)
    assert "320506" in html(response)  # the county mismatch, as a message after saving
    assert audit("licence.create", licence).actor == inspector


def test_a_bad_licence_number_is_a_field_error_and_nothing_is_saved(client, inspector, shop):
    client.force_login(inspector)
    response = client.post(reverse("licence-create", args=[shop.pk]), {"number": "JY999", "status": "valid"})
    page = html(response)
    assert response.status_code == 200 and 'data-field="number"' in page and "JY999" in page
    assert not Licence.objects.exists() and not AuditEntry.objects.filter(action="licence.create").exists()


def test_editing_a_licence_of_another_business_is_a_404(client, inspector, shop):
    licence = licence_create(operator=OperatorFactory(), by=inspector, number=jy())
    client.force_login(inspector)
    assert client.get(reverse("licence-edit", args=[shop.pk, licence.pk])).status_code == 404
    response = client.post(
        reverse("licence-edit", args=[licence.operator_id, licence.pk]),
        {"number": jy(), "expires_on": "2030-06-30", "status": "valid"},
    )
    assert response.status_code == 302
    assert audit("licence.update", licence).after["expires_on"] == "2030-06-30"


def test_adding_a_filing(client, inspector, shop):
    client.force_login(inspector)
    response = client.post(
        reverse("filing-create", args=[shop.pk]), {"number": "YB13205080000123", "filed_on": "2024-03-01"}
    )
    assert response.status_code == 302
    filing = shop.filings.get()
    assert audit("filing.create", filing).actor == inspector
    assert "YB13205080000123" in html(client.get(reverse("operator-detail", args=[shop.pk])))


# --- staff ---------------------------------------------------------------------------------------------------


def test_a_business_user_adds_staff_to_their_own_business_only(client, owner, shop):
    elsewhere = OperatorFactory()
    client.force_login(owner)
    data = {"name": "张伟", "role": "worker", "id_number": ID_NUMBER, "health_certificate_expires_on": "2027-01-31"}
    assert client.post(reverse("staff-create", args=[shop.pk]), data).status_code == 302
    staff = Staff.objects.get()
    assert (staff.operator, staff.id_number) == (shop, ID_NUMBER)
    assert audit("staff.create", staff).actor == owner
    assert client.post(reverse("staff-create", args=[elsewhere.pk]), data).status_code == 404
    assert Staff.objects.count() == 1


def test_a_business_user_without_the_right_cannot_add_staff(client, shop):
    stranger = MembershipFactory(user=UserFactory(kind=UserKind.BUSINESS), operator=shop).user  # no role
    client.force_login(stranger)
    assert client.get(reverse("staff-create", args=[shop.pk])).status_code == 403


def test_a_bad_id_number_is_a_field_error_and_nothing_is_saved(client, owner, shop):
    client.force_login(owner)
    response = client.post(
        reverse("staff-create", args=[shop.pk]), {"name": "李四", "role": "worker", "id_number": "110105194912310021"}
    )
    assert response.status_code == 200 and 'data-field="id_number"' in html(response)
    assert not Staff.objects.exists()


def test_editing_staff_never_reveals_the_full_id_number(client, owner, shop):
    staff = staff_create(operator=shop, by=owner, name="张伟", id_number=ID_NUMBER)
    client.force_login(owner)
    form = html(client.get(reverse("staff-edit", args=[shop.pk, staff.pk])))
    assert ID_NUMBER not in form and MASKED in form
    response = client.post(
        reverse("staff-edit", args=[shop.pk, staff.pk]), {"name": "张伟", "role": "officer", "id_number": ""}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.role, staff.id_number) == ("officer", ID_NUMBER)


def test_an_administrator_edits_the_full_id_number(client, admin, shop):
    staff = staff_create(operator=shop, by=admin, name="张伟", id_number=ID_NUMBER)
    client.force_login(admin)
    assert ID_NUMBER in html(client.get(reverse("staff-edit", args=[shop.pk, staff.pk])))


def test_staff_who_leave_are_deactivated_by_post_only(client, owner, shop):
    staff = staff_create(operator=shop, by=owner, name="张伟")
    client.force_login(owner)
    url = reverse("staff-deactivate", args=[shop.pk, staff.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    staff.refresh_from_db()
    assert staff.active is False and audit("staff.deactivate", staff).actor == owner
    client.post(reverse("staff-reactivate", args=[shop.pk, staff.pk]))
    staff.refresh_from_db()
    assert staff.active is True


def test_an_inspector_may_keep_staff_too(client, inspector, shop):
    client.force_login(inspector)
    assert (
        client.post(reverse("staff-create", args=[shop.pk]), {"name": "检查员录入", "role": "worker"}).status_code
        == 302
    )
    assert Staff.objects.get().name == "检查员录入"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (30, 120, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_business_user_uploads_a_health_certificate(client, settings, tmp_path, owner, shop):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    staff = staff_create(operator=shop, by=owner, name="张伟")
    client.force_login(owner)
    url = reverse("staff-certificate", args=[shop.pk, staff.pk])
    form = html(client.get(url))
    assert "张伟" in form and 'name="operator"' not in form
    captured = timezone.localtime() - datetime.timedelta(minutes=3)
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("cert.jpg", jpeg(), "image/jpeg"),
            "face_photo": SimpleUploadedFile("face.jpg", jpeg(), "image/jpeg"),
            "scene": "张伟的健康证",
            "phone": owner.phone,
            "captured_at": captured.strftime("%Y-%m-%dT%H:%M"),
            "latitude": "31.317000",
            "longitude": "120.619000",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.health_certificate_evidence is not None
    assert staff.health_certificate_evidence.operator == shop
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    assert reverse("evidence-detail", args=[staff.health_certificate_evidence.public_id]) in page


# --- the timeline ------------------------------------------------------------------------------------------


def test_the_timeline_shows_licence_expiry_and_audit_events(client, inspector, shop):
    today = timezone.localdate()
    licence_create(
        operator=shop,
        by=inspector,
        number=jy(),
        issued_on=today - datetime.timedelta(days=1800),
        expires_on=today + datetime.timedelta(days=12),
    )
    operator_update(operator=shop, by=inspector, address="苏州市姑苏区观前街2号")
    client.force_login(inspector)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    with translation.override("zh-hans"):
        title = translation.ngettext(
            "Licence %(number)s expires in %(days)s day", "Licence %(number)s expires in %(days)s days", 12
        ) % {"number": jy(), "days": 12}
    assert 'data-kind="licence.expiring"' in page and title in page
    assert 'data-kind="licence.issued"' in page
    assert 'data-kind="audit.operator.update"' in page and 'data-kind="audit.licence.create"' in page
    # the upcoming expiry comes first, then the changes, newest first
    assert page.index("licence.expiring") < page.index("audit.operator.update") < page.index("audit.licence.create")


def test_the_timeline_shows_expired_licences_and_health_certificates(client, owner, shop):
    today = timezone.localdate()
    licence_create(operator=shop, by=None, number=jy(), expires_on=today - datetime.timedelta(days=5))
    staff_create(operator=shop, by=owner, name="张伟", health_certificate_expires_on=today - datetime.timedelta(days=2))
    client.force_login(owner)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    assert 'data-kind="licence.expired"' in page
    assert 'data-kind="staff.health_certificate.expired"' in page


def test_the_timeline_accepts_events_from_other_modules(client, inspector, shop, monkeypatch):
    monkeypatch.setattr(timeline, "_sources", list(timeline.sources()))
    seen = []

    @timeline.timeline_source
    def inspections(operator, user):
        seen.append((operator.pk, user.pk))
        yield timeline.TimelineEvent(
            at=timezone.now(), kind="inspection.done", title="日常监督检查：基本符合", url="/inspections/1/"
        )

    client.force_login(inspector)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    assert seen == [(shop.pk, inspector.pk)]
    assert (
        'data-kind="inspection.done"' in page and "日常监督检查：基本符合" in page and 'href="/inspections/1/"' in page
    )


def test_the_timeline_pages_through_older_events(client, inspector, shop, monkeypatch):
    monkeypatch.setattr(timeline, "_sources", [])
    start = timezone.now()

    @timeline.timeline_source
    def many(operator, user):
        for n in range(45):
            yield timeline.TimelineEvent(
                at=start - datetime.timedelta(hours=n), kind="test.event", title=f"事件{n:02d}"
            )

    client.force_login(inspector)
    url = reverse("operator-detail", args=[shop.pk])
    first = html(client.get(url))
    assert first.count('data-kind="test.event"') == 20 and "事件00" in first and "事件20" not in first
    more = client.get(url, {"events": 20}, headers={"HX-Request": "true"})
    assert "<html" not in html(more) and html(more).count('data-kind="test.event"') == 20
    assert "事件20" in html(more) and 'data-testid="timeline-more"' in html(more)
    last = html(client.get(url, {"events": 40}, headers={"HX-Request": "true"}))
    assert last.count('data-kind="test.event"') == 5 and 'data-testid="timeline-more"' not in last


def test_the_file_lists_staff_training_records(client, inspector, shop):
    from shian.registry.models import Staff, TrainingRecord

    member = Staff.objects.create(operator=shop, name="王厨师", role="worker")
    TrainingRecord.objects.create(
        staff=member, held_on=datetime.date(2026, 3, 1), topic="食品安全法规培训", hours=4, passed=True
    )
    client.force_login(inspector)
    page = html(client.get(reverse("operator-detail", args=[shop.pk])))
    assert "2026-03-01" in page and "食品安全法规培训" in page
