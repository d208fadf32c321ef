"""The API shell: one error format, scoping as 404, cursor pagination, the OpenAPI schema and its offline
docs, and session auth (with CSRF) for the web UI."""

import json
import re

import pytest
import yaml
from django.core.cache import cache
from django.utils import translation
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from shian.core.models import Notification
from shian.core.tests.factories import UserFactory, region
from shian.registry.tests.factories import OperatorFactory

CSRF_SECRET = "A" * 32  # a CSRF cookie value of the shape Django issues (32 alphanumerics)


def error_of(response, status: int, content_type: str = "application/json") -> dict:
    """The body of an API error, after checking it has the one error shape of DESIGN.md §5."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(content_type)
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def throttle_cache():
    """Throttle counters live in the cache: start and end each test that counts requests with none."""
    cache.clear()
    yield
    cache.clear()


# --- Error format ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_caller_gets_401_in_the_error_format(api):
    response = api.get("/api/v1/me/")
    error = error_of(response, 401)
    assert error["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_user_without_the_permission_gets_403_in_the_error_format(api):
    api.force_login(UserFactory())  # a member of the public: may not read the audit log
    error = error_of(api.get("/api/v1/audit/"), 403)
    assert error["code"] == "permission_denied"


def test_unknown_operator_is_a_404_in_the_error_format(api, inspector):
    api.force_login(inspector)
    error = error_of(api.get("/api/v1/operators/999999/"), 404)
    assert error["code"] == "not_found"


def test_operator_of_another_county_is_a_404_not_a_403(api, inspector):
    theirs = OperatorFactory(region=region("320506"))
    ours = OperatorFactory(region=region("320508"))
    api.force_login(inspector)

    assert api.get(f"/api/v1/operators/{ours.pk}/").status_code == 200
    unknown = error_of(api.get("/api/v1/operators/999999/"), 404)
    hidden = error_of(api.get(f"/api/v1/operators/{theirs.pk}/"), 404)
    assert hidden == unknown  # nothing tells the caller the operator exists
    listed = [row["id"] for row in api.get("/api/v1/operators/").json()["results"]]
    assert listed == [ours.pk]


def test_audit_timeline_of_an_object_outside_the_scope_is_a_404(api, inspector):
    theirs = OperatorFactory(region=region("320506"))
    api.force_login(inspector)
    response = api.get("/api/v1/audit/timeline/", {"type": "registry.operator", "id": theirs.pk})
    assert error_of(response, 404)["code"] == "not_found"


def test_invalid_input_is_a_400_with_field_details(api, inspector):
    api.force_login(inspector)
    error = error_of(api.post("/api/v1/notifications/mark-read/", {"ids": "x"}, format="json"), 400)
    assert error["code"] == "invalid"
    assert list(error["details"]) == ["ids"]
    assert all(isinstance(message, str) and message for message in error["details"]["ids"])

    error = error_of(api.post("/api/v1/notifications/mark-read/", {"ids": [1, "two"]}, format="json"), 400)
    assert list(error["details"]) == ["ids"]
    assert list(error["details"]["ids"]) == ["1"]  # the position of the bad item


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404_in_the_error_format(api):
    assert error_of(api.get("/api/v1/nope/"), 404)["code"] == "not_found"


@pytest.mark.django_db
def test_anonymous_calls_are_throttled_with_429_in_the_error_format(api, monkeypatch, throttle_cache):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "2/min")
    assert api.get("/api/schema/", {"format": "json"}).status_code == 200
    assert api.get("/api/schema/", {"format": "json"}).status_code == 200
    response = api.get("/api/schema/", {"format": "json"})
    # The schema view answers in the schema's own JSON media type, errors included.
    assert error_of(response, 429, "application/vnd.oai.openapi+json")["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


# --- Schema and docs ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_schema_is_a_valid_openapi_3_document(api, throttle_cache):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # drf-spectacular's check against the OpenAPI 3.0 JSON schema
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/operators/", "/api/v1/operators/{id}/", "/api/v1/audit/", "/api/v1/me/"):
        assert "get" in schema["paths"][path], path
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/operators/"]["get"]["security"]
    # JSON on request, with the same content.
    assert api.get("/api/schema/", {"format": "json"}).json() == schema


@pytest.mark.django_db
def test_schema_documents_the_error_responses(api, throttle_cache):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    error = {"$ref": "#/components/schemas/ApiError"}
    assert set(schema["components"]["schemas"]["ApiError"]["properties"]) == {"error"}

    def documented(path, method="get"):
        responses = schema["paths"][path][method]["responses"]
        for status, response in responses.items():
            if status != "200":
                assert response["content"]["application/json"]["schema"] == error, (path, status)
        return set(responses)

    assert documented("/api/v1/me/") == {"200", "401", "403"}
    assert documented("/api/v1/operators/") == {"200", "400", "401", "403", "404"}  # filters; stale cursor
    assert documented("/api/v1/operators/{id}/") == {"200", "401", "403", "404"}
    assert documented("/api/v1/notifications/mark-read/", "post") == {"200", "400", "401", "403"}
    page_size = next(p for p in schema["paths"]["/api/v1/operators/"]["get"]["parameters"] if p["name"] == "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1}
    status = next(p for p in schema["paths"]["/api/v1/operators/"]["get"]["parameters"] if p["name"] == "status")
    assert status["allowEmptyValue"] is True  # an empty filter means no filter, as in the list pages' forms


@pytest.mark.django_db
def test_schema_offers_tokens_only_where_a_token_may_call(api, throttle_cache):
    """Views that name no scope for a method are closed to tokens, and the schema says so."""
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"tokenAuth": []} not in paths["/api/v1/notifications/mark-read/"]["post"]["security"]
    assert {"tokenAuth": []} not in paths["/api/v1/notifications/"]["get"]["security"]
    assert {"cookieAuth": []} in paths["/api/v1/notifications/"]["get"]["security"]
    assert {"tokenAuth": []} in paths["/api/v1/me/"]["get"]["security"]


@pytest.mark.django_db
def test_api_docs_use_only_local_assets(api, throttle_cache):
    page = api.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.findall(r"(?:https?:)?//[^\s\"'<>]+", html), "the docs page must work offline"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle" in asset for asset in assets)
    for asset in assets:
        assert asset.startswith("/"), asset
        assert api.get(asset).status_code == 200, asset  # served by the site itself (sidecar)
    init_script = api.get("/api/docs/", {"script": ""})
    assert init_script.status_code == 200
    assert not re.findall(r"https?://", init_script.content.decode())
    assert "Content-Security-Policy" in page


# --- Pagination --------------------------------------------------------------------------------------


def test_cursor_pagination_links_pages_and_caps_page_size(api, inspector):
    api.force_login(inspector)
    first = api.get("/api/v1/regions/", {"page_size": 2}).json()
    assert set(first) == {"next", "previous", "results"}
    assert len(first["results"]) == 2 and first["previous"] is None and "cursor=" in first["next"]

    second = api.get(first["next"]).json()
    assert len(second["results"]) == 2 and "cursor=" in second["previous"]
    assert {r["code"] for r in second["results"]}.isdisjoint(r["code"] for r in first["results"])
    assert api.get(second["previous"]).json()["results"] == first["results"]

    big = api.get("/api/v1/regions/", {"page_size": 100000}).json()  # thousands of regions are loaded
    assert len(big["results"]) == 500
    assert big["next"] is not None


@pytest.mark.parametrize("page_size", ["0", "-3", "abc", "", "2.5"])
def test_page_size_that_is_not_a_positive_whole_number_is_a_400(api, inspector, page_size):
    api.force_login(inspector)
    error = error_of(api.get("/api/v1/regions/", {"page_size": page_size}), 400)
    assert list(error["details"]) == ["page_size"]


@pytest.mark.parametrize("actor", ["12.0", "1e3", "x", "0"])
def test_an_id_filter_takes_only_a_positive_whole_number(api, inspector, actor):
    api.force_login(inspector)
    error = error_of(api.get("/api/v1/audit/", {"actor": actor}), 400)
    assert list(error["details"]) == ["actor"]
    assert api.get("/api/v1/audit/", {"actor": str(inspector.pk)}).status_code == 200


@pytest.mark.parametrize("within", ["\x85", " 320508", "3205"])
def test_a_region_filter_takes_only_a_region_code(api, inspector, within):
    api.force_login(inspector)
    assert list(error_of(api.get("/api/v1/regions/", {"within": within}), 400)["details"]) == ["within"]


def test_region_detail_takes_only_region_codes(api, inspector):
    api.force_login(inspector)
    assert api.get("/api/v1/regions/320508/").json()["name"] == "姑苏区"
    for code in ("3205", "%00", "abcdef"):
        assert error_of(api.get(f"/api/v1/regions/{code}/"), 404)["code"] == "not_found"


def test_invalid_cursor_is_a_404_in_the_error_format(api, inspector):
    api.force_login(inspector)
    assert error_of(api.get("/api/v1/regions/", {"cursor": "not-a-cursor"}), 404)["code"] == "not_found"


# --- Session auth for the web UI ---------------------------------------------------------------------


def test_signed_in_user_reads_me_with_session_auth(api, inspector):
    api.force_login(inspector)
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "gusu-inspector"
    assert me["roles"] == ["inspector"]
    assert me["jurisdiction"] == "320508"
    assert me["scopes"] is None  # scopes belong to tokens, not to sessions


@pytest.mark.django_db
def test_me_of_a_user_without_agency_matches_the_schema(api, throttle_cache):
    api.force_login(UserFactory())
    me = api.get("/api/v1/me/").json()
    assert me["agency"] is None and me["jurisdiction"] is None
    fields = api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]["Me"]["properties"]
    assert fields["agency"].get("nullable") is True
    assert fields["jurisdiction"].get("nullable") is True


def test_unsafe_methods_with_session_auth_need_the_csrf_token(inspector):
    note = Notification.objects.create(recipient=inspector, kind="test", title="整改期限将至")
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(inspector)

    refused = api.post("/api/v1/notifications/mark-read/", {"ids": [note.pk]}, format="json")
    error = error_of(refused, 403)
    assert error["code"] == "permission_denied"
    assert "CSRF" in error["message"]
    note.refresh_from_db()
    assert note.read_at is None

    api.cookies["csrftoken"] = CSRF_SECRET
    accepted = api.post(
        "/api/v1/notifications/mark-read/",
        json.dumps({"ids": [note.pk]}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=CSRF_SECRET,
    )
    assert accepted.status_code == 200
    assert accepted.json() == {"marked": 1}
    note.refresh_from_db()
    assert note.read_at is not None


def test_error_messages_follow_the_callers_language(api):
    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        assert error_of(response, 401)["message"] == "Authentication credentials were not provided."
