"""The operators API: scoped list and detail with the list page's filters, create and update through the
services with model permissions, jurisdiction checks and token scopes, errors in the one error format and
identifier warnings in the response."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from shian.core.models import AuditEntry
from shian.core.services.tokens import api_token_create
from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.registry.models import Licence, Operator
from shian.registry.rules import mod11_10_check_digit
from shian.registry.tests.factories import MembershipFactory, OperatorFactory, credit_code

pytestmark = pytest.mark.django_db

URL = "/api/v1/operators/"
CLEAN_CREDIT_CODE = "91110000600037341L"  # passes both its own and the embedded organisation-code check


def detail_url(operator) -> str:
    return f"{URL}{operator.pk}/"


def jy(county: str, seq: int) -> str:
    body = f"2{county}{seq:06d}"
    return f"JY{body}{mod11_10_check_digit(body)}"


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def grant(user, *codenames: str):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="registry", codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # a fresh instance: Django caches permissions per instance


@pytest.fixture
def registrar(db):
    """A 姑苏区 regulator who may register and change businesses (and nothing else by role)."""
    agency = AgencyFactory(region=region("320508"))
    return grant(RegulatorFactory(agency=agency, roles=[]), "add_operator", "change_operator")


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def payload(**overrides) -> dict:
    return {
        "name": "姑苏区新开面馆",
        "credit_code": CLEAN_CREDIT_CODE,
        "category": "catering",
        "region": "320508",
        "address": "苏州市姑苏区干将路2号",
        "legal_representative": "李四",
        **overrides,
    }


# --- Reading ------------------------------------------------------------------------------------------


def test_list_is_scoped_and_takes_the_list_pages_filters(api, inspector):
    OperatorFactory(name="姑苏食堂", category="canteen", canteen_kind="school")
    OperatorFactory(name="姑苏超市", category="sales")
    OperatorFactory(name="姑苏面馆")
    OperatorFactory(name="吴中食堂", category="canteen", canteen_kind="school", region=region("320506"))
    api.force_authenticate(inspector)

    names = {row["name"] for row in api.get(URL).json()["results"]}
    assert names == {"姑苏食堂", "姑苏超市", "姑苏面馆"}
    found = api.get(URL, {"category": ["canteen", "sales"]}).json()["results"]
    assert {row["name"] for row in found} == {"姑苏食堂", "姑苏超市"}
    assert [row["name"] for row in api.get(URL, {"q": "面馆"}).json()["results"]] == ["姑苏面馆"]


def test_a_bad_filter_is_a_400_with_field_details(api, inspector):
    api.force_authenticate(inspector)
    error = error_of(api.get(URL, {"licence_state": "soon", "region": "32"}), 400)
    assert set(error["details"]) == {"licence_state", "region"}


def test_detail_nests_licences_and_lists_identifier_warnings(api, inspector):
    operator = OperatorFactory(credit_code=credit_code(7))
    number = jy("320506", 1)  # a 吴中区 number on a 姑苏区 business: a warning, not an error
    Licence.objects.create(operator=operator, kind="JY", number=number, expires_on=datetime.date(2030, 1, 1))
    api.force_authenticate(inspector)

    body = api.get(detail_url(operator)).json()
    assert [licence["number"] for licence in body["licences"]] == [number]
    assert body["licences"][0]["expires_on"] == "2030-01-01"
    fields = [warning["field"] for warning in body["warnings"]]
    assert "licences" in fields and "credit_code" in fields
    assert any("320506" in warning["message"] for warning in body["warnings"])


def test_another_countys_operator_is_a_404(api, inspector):
    elsewhere = OperatorFactory(region=region("320506"))
    api.force_authenticate(inspector)
    assert error_of(api.get(detail_url(elsewhere)), 404)["code"] == "not_found"


def test_business_users_read_only_their_own_operators(api):
    owner = BusinessUserFactory()
    mine = OperatorFactory(name="我的店")
    MembershipFactory(user=owner, operator=mine)
    neighbour = OperatorFactory(name="邻居店")
    api.force_authenticate(owner)

    assert [row["name"] for row in api.get(URL).json()["results"]] == ["我的店"]
    assert api.get(detail_url(neighbour)).status_code == 404


# --- Creating -----------------------------------------------------------------------------------------


def test_a_registrar_creates_an_operator_in_their_county(api, registrar):
    api.force_authenticate(registrar)
    response = api.post(URL, payload(credit_code=CLEAN_CREDIT_CODE.lower()), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    operator = Operator.objects.get(pk=body["id"])
    assert operator.name == "姑苏区新开面馆" and operator.region_id == "320508"
    assert operator.credit_code == CLEAN_CREDIT_CODE  # stored upper-case, so searches find it
    assert body["licences"] == [] and body["warnings"] == []
    assert AuditEntry.objects.filter(action="operator.create", object_id=str(operator.pk), actor=registrar).exists()


def test_a_suspicious_credit_code_is_created_with_a_warning(api, registrar):
    api.force_authenticate(registrar)
    suspicious = credit_code(7)  # valid check character, embedded organisation code fails its own check
    response = api.post(URL, payload(credit_code=suspicious), format="json")

    assert response.status_code == 201, response.content
    assert [warning["field"] for warning in response.json()["warnings"]] == ["credit_code"]
    assert Operator.objects.filter(credit_code=suspicious).exists()


def test_a_bad_credit_code_is_a_400_in_the_error_format(api, registrar):
    api.force_authenticate(registrar)
    bad = CLEAN_CREDIT_CODE[:-1] + "M"
    error = error_of(api.post(URL, payload(credit_code=bad), format="json"), 400)
    assert error["code"] == "invalid"
    assert list(error["details"]) == ["credit_code"] and error["details"]["credit_code"]
    assert not Operator.objects.exists()


def test_model_rules_come_back_as_field_errors(api, registrar):
    api.force_authenticate(registrar)
    error = error_of(api.post(URL, payload(category="canteen"), format="json"), 400)
    assert "canteen_kind" in error["details"]
    error = error_of(api.post(URL, payload(special_foods=["caviar"]), format="json"), 400)
    assert "special_foods" in error["details"]


def test_creating_outside_the_jurisdiction_is_refused(api, registrar):
    api.force_authenticate(registrar)
    error = error_of(api.post(URL, payload(region="320506"), format="json"), 400)
    assert list(error["details"]) == ["region"]
    error = error_of(api.post(URL, payload(region="320500"), format="json"), 400)  # a city, not a county
    assert list(error["details"]) == ["region"]
    assert not Operator.objects.exists()


def test_a_city_registrar_creates_in_any_county_of_the_city(api):
    city = grant(RegulatorFactory(agency=AgencyFactory(region=region("320500")), roles=[]), "add_operator")
    api.force_authenticate(city)
    assert api.post(URL, payload(region="320506"), format="json").status_code == 201


def test_creating_needs_the_add_permission(api):
    plain = RegulatorFactory(agency=AgencyFactory(region=region("320508")), roles=[])
    api.force_authenticate(plain)
    assert error_of(api.post(URL, payload(), format="json"), 403)["code"] == "permission_denied"
    assert not Operator.objects.exists()


# --- Updating -----------------------------------------------------------------------------------------


def test_patch_changes_the_given_fields_through_the_service(api, registrar):
    operator = OperatorFactory(name="旧名字", phone="0512-1")
    api.force_authenticate(registrar)
    response = api.patch(detail_url(operator), {"name": "新名字", "status": "suspended"}, format="json")

    assert response.status_code == 200, response.content
    operator.refresh_from_db()
    assert (operator.name, operator.status, operator.phone) == ("新名字", "suspended", "0512-1")
    entry = AuditEntry.objects.get(action="operator.update", object_id=str(operator.pk))
    assert entry.before["name"] == "旧名字"


def test_put_replaces_the_record(api, registrar):
    operator = OperatorFactory()
    api.force_authenticate(registrar)
    response = api.put(detail_url(operator), payload(name="整体更新"), format="json")
    assert response.status_code == 200, response.content
    operator.refresh_from_db()
    assert (operator.name, operator.credit_code, operator.legal_representative) == (
        "整体更新",
        CLEAN_CREDIT_CODE,
        "李四",
    )


def test_patching_another_countys_operator_is_a_404(api, registrar):
    elsewhere = OperatorFactory(name="吴中店", region=region("320506"))
    api.force_authenticate(registrar)
    assert error_of(api.patch(detail_url(elsewhere), {"name": "改"}, format="json"), 404)["code"] == "not_found"
    elsewhere.refresh_from_db()
    assert elsewhere.name == "吴中店"


def test_moving_an_operator_out_of_the_jurisdiction_is_refused(api, registrar):
    operator = OperatorFactory()
    api.force_authenticate(registrar)
    error = error_of(api.patch(detail_url(operator), {"region": "320506"}, format="json"), 400)
    assert list(error["details"]) == ["region"]
    operator.refresh_from_db()
    assert operator.region_id == "320508"


def test_updating_needs_the_change_permission(api):
    operator = OperatorFactory(name="原名")
    reader = RegulatorFactory(agency=AgencyFactory(region=region("320508")), roles=[])
    api.force_authenticate(reader)
    assert error_of(api.patch(detail_url(operator), {"name": "改"}, format="json"), 403)["code"] == "permission_denied"


def test_a_business_user_may_change_only_their_own_operator(api):
    owner = grant(BusinessUserFactory(roles=[]), "change_operator")
    mine = OperatorFactory(name="我的店")
    MembershipFactory(user=owner, operator=mine)
    neighbour = OperatorFactory(name="邻居店")
    api.force_authenticate(owner)

    assert api.patch(detail_url(mine), {"phone": "0512-66668888"}, format="json").status_code == 200
    assert api.patch(detail_url(neighbour), {"phone": "0512-66668888"}, format="json").status_code == 404
    assert api.patch(detail_url(mine), {"region": "320508"}, format="json").status_code == 400  # no jurisdiction


def test_update_response_warns_about_a_licence_of_another_county(api, registrar):
    operator = OperatorFactory()
    Licence.objects.create(operator=operator, kind="JY", number=jy("320508", 5))
    api.force_authenticate(registrar)
    moved = api.patch(detail_url(operator), {"credit_code": CLEAN_CREDIT_CODE}, format="json").json()
    assert moved["warnings"] == []
    city = grant(RegulatorFactory(agency=AgencyFactory(region=region("320500")), roles=[]), "change_operator")
    api.force_authenticate(city)
    moved = api.patch(detail_url(operator), {"region": "320506"}, format="json").json()
    assert [warning["field"] for warning in moved["warnings"]] == ["licences"]
    assert "320508" in moved["warnings"][0]["message"]


# --- Tokens -------------------------------------------------------------------------------------------


def test_tokens_need_operators_write_to_create_and_update(registrar):
    operator = OperatorFactory()
    _, read_only = api_token_create(user=registrar, name="只读", scopes=["operators:read"], days=1)
    _, writer = api_token_create(user=registrar, name="读写", scopes=["operators:read", "operators:write"], days=1)

    reader = APIClient(HTTP_AUTHORIZATION=f"Token {read_only}")
    assert reader.get(detail_url(operator)).status_code == 200
    assert error_of(reader.post(URL, payload(), format="json"), 403)["code"] == "permission_denied"
    assert reader.patch(detail_url(operator), {"name": "改"}, format="json").status_code == 403

    client = APIClient(HTTP_AUTHORIZATION=f"Token {writer}")
    assert client.post(URL, payload(), format="json").status_code == 201
    assert client.patch(detail_url(operator), {"name": "改"}, format="json").status_code == 200


def test_a_token_acts_within_its_users_jurisdiction(registrar):
    elsewhere = OperatorFactory(region=region("320506"))
    _, key = api_token_create(user=registrar, name="读写", scopes=["operators:read", "operators:write"], days=1)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(detail_url(elsewhere)).status_code == 404
    assert client.patch(detail_url(elsewhere), {"name": "改"}, format="json").status_code == 404
    assert client.post(URL, payload(region="320506"), format="json").status_code == 400
