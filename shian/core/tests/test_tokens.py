"""API tokens for integrations: issue, authenticate, scope, expire, revoke, and the `token` command."""

import datetime
import hashlib
import json
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from rest_framework.test import APIClient

from shian.core.api.auth import TokenHasScope
from shian.core.models import ApiToken, AuditEntry
from shian.core.services.tokens import api_scopes, api_token_create, api_token_revoke
from shian.core.tests.factories import BusinessUserFactory, RegulatorFactory, UserFactory, region
from shian.registry.tests.factories import MembershipFactory, OperatorFactory

pytestmark = pytest.mark.django_db


def issue(user, *scopes: str, days: int = 30, created_by=None) -> tuple[ApiToken, str]:
    return api_token_create(user=user, name="实验室系统", scopes=list(scopes), days=days, created_by=created_by)


def call(key: str, path: str = "/api/v1/me/", method: str = "get", **kwargs):
    return getattr(APIClient(), method)(path, HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


# --- Issuing ------------------------------------------------------------------------------------------


def test_created_key_authenticates_as_the_tokens_user_with_its_scopes(inspector):
    token, key = issue(inspector, "regions:read", "operators:read")
    assert key.startswith(f"shian_{token.prefix}_")

    response = call(key)
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "gusu-inspector"
    assert me["roles"] == ["inspector"]
    assert me["scopes"] == ["operators:read", "regions:read"]


def test_only_the_sha256_of_the_secret_is_stored(inspector):
    token, key = issue(inspector, "regions:read")
    secret = key.split("_", 2)[2]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    stored = json.dumps(row, default=str)
    assert secret not in stored and key not in stored
    for entry in AuditEntry.objects.all():  # the audit trail holds neither the secret nor its hash
        recorded = json.dumps([entry.before, entry.after, entry.object_repr])
        assert secret not in recorded and row["key_hash"] not in recorded


def test_unknown_scope_is_refused_by_name(inspector):
    with pytest.raises(ValidationError) as refused:
        issue(inspector, "regions:read", "cameras:control", "operators:delete")
    assert list(refused.value.message_dict) == ["scopes"]
    message = " ".join(refused.value.message_dict["scopes"])
    assert "cameras:control" in message and "operators:delete" in message
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [0, -1, 731])
def test_lifetime_outside_1_to_730_days_is_refused(inspector, days):
    with pytest.raises(ValidationError) as refused:
        issue(inspector, "regions:read", days=days)
    assert list(refused.value.message_dict) == ["days"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [1, 730])
def test_lifetime_bounds_are_allowed(inspector, days):
    before = timezone.now()
    token, _ = issue(inspector, "regions:read", days=days)
    assert before + datetime.timedelta(days=days) <= token.expires_at <= timezone.now() + datetime.timedelta(days=days)


def test_every_app_scope_can_be_issued(inspector):
    assert {"regions:read", "audit:read", "operators:read"} <= set(api_scopes())
    token, _ = issue(inspector, *api_scopes())
    assert token.scopes == sorted(api_scopes())


# --- Scopes and permissions -----------------------------------------------------------------------------


def test_token_without_the_views_scope_gets_403(inspector):
    _, key = issue(inspector, "regions:read")
    error = assert_error(call(key, "/api/v1/operators/"), 403, "permission_denied")
    with translation.override("en"):
        assert error["message"] == str(TokenHasScope.message)


def test_views_that_name_no_scope_are_closed_to_tokens(inspector):
    _, key = issue(inspector, *api_scopes())  # every scope there is
    refused = call(key, "/api/v1/notifications/mark-read/", "post", data={}, format="json")
    assert_error(refused, 403, "permission_denied")
    assert_error(call(key, "/api/v1/notifications/"), 403, "permission_denied")


def test_scope_does_not_widen_the_users_own_permissions():
    _, key = issue(UserFactory(), "audit:read")  # a member of the public may not read the audit log
    assert_error(call(key, "/api/v1/audit/"), 403, "permission_denied")


def test_token_of_a_county_inspector_sees_only_that_county(inspector):
    ours = OperatorFactory(region=region("320508"))
    theirs = OperatorFactory(region=region("320506"))
    _, key = issue(inspector, "operators:read")

    listed = call(key, "/api/v1/operators/").json()["results"]
    assert [row["id"] for row in listed] == [ours.pk]
    assert call(key, f"/api/v1/operators/{ours.pk}/").status_code == 200
    assert_error(call(key, f"/api/v1/operators/{theirs.pk}/"), 404, "not_found")


def test_token_of_a_business_user_sees_only_its_own_operators():
    own = OperatorFactory()
    OperatorFactory()  # same county, another business
    owner = BusinessUserFactory()
    MembershipFactory(user=owner, operator=own)
    _, key = issue(owner, "operators:read")
    assert [row["id"] for row in call(key, "/api/v1/operators/").json()["results"]] == [own.pk]


# --- Refused keys ------------------------------------------------------------------------------------------


def test_expired_token_is_refused_with_401(inspector):
    token, key = issue(inspector, "regions:read")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert_error(call(key), 401, "authentication_failed")


def test_revoked_token_is_refused_with_401(inspector):
    token, key = issue(inspector, "regions:read")
    assert call(key).status_code == 200
    api_token_revoke(token=token, by=inspector)
    assert_error(call(key), 401, "authentication_failed")


def test_token_of_an_inactive_user_is_refused_with_401(inspector):
    _, key = issue(inspector, "regions:read")
    inspector.is_active = False
    inspector.save(update_fields=["is_active"])
    assert_error(call(key), 401, "authentication_failed")


def test_wrong_or_malformed_keys_are_refused_with_401(inspector):
    token, key = issue(inspector, "regions:read")
    other, other_key = issue(inspector, "regions:read")
    secret = key.split("_", 2)[2]
    wrong = [
        f"shian_{other.prefix}_{secret}",  # right secret, another token's prefix
        f"shian_{token.prefix}_{secret[:-1]}x" if not secret.endswith("x") else f"shian_{token.prefix}_{secret[:-1]}y",
        f"shian_ffffffffffff_{secret}",  # no such prefix
        f"other_{token.prefix}_{secret}",  # wrong product prefix
        secret,
        "",
        f"{key} extra",
    ]
    for value in wrong:
        response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {value}".strip())
        assert_error(response, 401, "authentication_failed")
        assert response["WWW-Authenticate"] == "Token"
    assert call(key).status_code == 200 and call(other_key).status_code == 200


def test_key_under_another_scheme_is_not_accepted(inspector):
    _, key = issue(inspector, "regions:read")
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert_error(response, 401, "not_authenticated")


def test_last_used_at_is_recorded(inspector):
    token, key = issue(inspector, "regions:read")
    assert token.last_used_at is None
    before = timezone.now()
    assert call(key).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at >= before


# --- Audit ----------------------------------------------------------------------------------------------


def test_create_and_revoke_are_audited():
    admin = RegulatorFactory(username="admin-of-tokens")
    integration = UserFactory(username="lab-system")
    token, _ = issue(integration, "regions:read", created_by=admin)
    api_token_revoke(token=token, by=admin)

    created, revoked = AuditEntry.objects.filter(object_id=str(token.pk)).order_by("id")
    assert (created.action, created.actor, created.before) == ("api_token.create", admin, None)
    assert created.after["user_id"] == integration.pk and created.after["scopes"] == ["regions:read"]
    assert "key_hash" not in created.after
    assert (revoked.action, revoked.actor) == ("api_token.revoke", admin)
    assert revoked.before["revoked_at"] is None and revoked.after["revoked_at"] is not None


def test_revoking_twice_keeps_the_first_revocation(inspector):
    token, _ = issue(inspector, "regions:read")
    api_token_revoke(token=token, by=inspector)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    api_token_revoke(token=ApiToken.objects.get(pk=token.pk), by=inspector)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1


# --- The `token` management command ----------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_command_create_prints_the_key_once_and_it_works(inspector):
    output = run("create", "gusu-inspector", "--name", "LIMS", "--scope", "regions:read", "--scope", "operators:read")
    token = ApiToken.objects.get()
    keys = [line.split(": ", 1)[1] for line in output.splitlines() if line.startswith("Key")]
    assert len(keys) == 1 and output.count(keys[0]) == 1
    assert token.prefix in output and token.name == "LIMS"
    assert token.scopes == ["operators:read", "regions:read"]
    assert call(keys[0]).json()["username"] == "gusu-inspector"
    assert keys[0] not in run("list")


def test_command_list_shows_each_tokens_state(inspector):
    active, _ = issue(inspector, "regions:read")
    revoked, _ = issue(inspector, "regions:read")
    expired, _ = issue(inspector, "regions:read")
    api_token_revoke(token=revoked, by=None)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))

    lines = {line.split()[0]: line for line in run("list").splitlines()}
    assert " active " in lines[active.prefix] and "gusu-inspector" in lines[active.prefix]
    assert " revoked " in lines[revoked.prefix]
    assert " expired " in lines[expired.prefix]


def test_command_shows_dates_in_the_platform_time_zone(inspector):
    token, _ = issue(inspector, "regions:read")
    # 20:00 UTC on 1 January is already 2 January in China (UTC+8).
    expires = datetime.datetime(2030, 1, 1, 20, 0, tzinfo=datetime.UTC)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=expires)
    assert "2030-01-02" in run("list")


def test_command_revoke(inspector):
    token, key = issue(inspector, "regions:read")
    assert token.prefix in run("revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_error(call(key), 401, "authentication_failed")
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()
    assert "already revoked" in run("revoke", token.prefix)


def test_command_refuses_unknown_user_scope_prefix_and_lifetime(inspector):
    with pytest.raises(CommandError, match="nobody"):
        run("create", "nobody", "--name", "x", "--scope", "regions:read")
    with pytest.raises(CommandError, match="cameras:control"):
        run("create", "gusu-inspector", "--name", "x", "--scope", "cameras:control")
    with pytest.raises(CommandError, match="days"):
        run("create", "gusu-inspector", "--name", "x", "--scope", "regions:read", "--days", "0")
    with pytest.raises(CommandError, match="ffffffffffff"):
        run("revoke", "ffffffffffff")
    assert not ApiToken.objects.exists()


def test_command_lists_the_scopes():
    output = run("scopes")
    for scope in api_scopes():
        assert scope in output


def test_an_administrator_issues_and_revokes_a_token_in_the_admin(client, admin_user, inspector):
    client.force_login(admin_user)
    response = client.post(
        "/admin/core/apitoken/add/",
        {"user": inspector.pk, "name": "化验系统", "scopes": ["regions:read", "operators:read"], "days": 90},
        follow=True,
    )
    token = ApiToken.objects.get(name="化验系统")
    [message] = [str(m) for m in response.context["messages"]]
    key = re.search(r"shian_\w+_[\w-]+", message).group(0)
    assert key.startswith(f"shian_{token.prefix}_") and token.created_by == admin_user
    assert client.get("/api/v1/me/", headers={"Authorization": f"Token {key}"}).json()["username"] == inspector.username
    client.post("/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api_token.revoke", actor=admin_user).exists()
