"""Security settings: refusing to start without secrets, secure cookies, Argon2 passwords, the Content
Security Policy, protective headers and login throttling (django-axes)."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse

from shian.core.tests.factories import DEMO_PASSWORD, RegulatorFactory

SHOW_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'session_secure': s.SESSION_COOKIE_SECURE, "
    "'csrf_secure': s.CSRF_COOKIE_SECURE, 'hosts': s.ALLOWED_HOSTS}))"
)


def start(tmp_path, **variables: str) -> subprocess.CompletedProcess:
    """Start Django in a fresh interpreter with only the given SHIAN_* variables (none of the test run's)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SHIAN_")}
    env.update(DJANGO_SETTINGS_MODULE="shian.config.settings", SHIAN_VAR_DIR=str(tmp_path / "var"), **variables)
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


# --- Start-up -------------------------------------------------------------------------------------------


def test_production_start_without_secret_key_fails_naming_it(tmp_path):
    result = start(tmp_path, SHIAN_DEBUG="false", SHIAN_ALLOWED_HOSTS="shian.example.cn")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SHIAN_SECRET_KEY" in result.stderr


def test_production_start_without_allowed_hosts_fails_naming_it(tmp_path):
    result = start(tmp_path, SHIAN_DEBUG="false", SHIAN_SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SHIAN_ALLOWED_HOSTS" in result.stderr


def test_debug_off_is_the_default(tmp_path):
    """With no SHIAN_DEBUG at all the secrets are still required: production is the default."""
    result = start(tmp_path)
    assert result.returncode != 0 and "SHIAN_SECRET_KEY" in result.stderr


def test_production_start_with_both_set_has_secure_cookies_by_default(tmp_path):
    result = start(
        tmp_path, SHIAN_DEBUG="false", SHIAN_SECRET_KEY="k" * 50, SHIAN_ALLOWED_HOSTS="shian.example.cn, 10.0.0.5"
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown == {
        "debug": False,
        "session_secure": True,
        "csrf_secure": True,
        "hosts": ["shian.example.cn", "10.0.0.5"],
    }


def test_secure_cookies_can_be_turned_off_for_plain_http_intranets(tmp_path):
    result = start(
        tmp_path,
        SHIAN_DEBUG="false",
        SHIAN_SECRET_KEY="k" * 50,
        SHIAN_ALLOWED_HOSTS="shian.example.cn",
        SHIAN_SECURE_COOKIES="false",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["session_secure"], shown["csrf_secure"]) == (False, False)


def test_a_misspelt_boolean_fails_naming_the_variable(tmp_path):
    result = start(tmp_path, SHIAN_DEBUG="nope")
    assert result.returncode != 0
    assert "SHIAN_DEBUG" in result.stderr


# --- Passwords ------------------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2(inspector):
    assert inspector.password.startswith("argon2")
    assert DEMO_PASSWORD not in inspector.password
    assert inspector.check_password(DEMO_PASSWORD)


# --- Headers ---------------------------------------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {parts[0]: parts[1:] for parts in (d.split() for d in policy.split(";") if d.strip())}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/me/", "/api/docs/"])
def test_responses_carry_a_csp_that_forbids_inline_script(client, path):
    directives = csp_directives(client.get(path))
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for values in directives.values():
        assert "'unsafe-eval'" not in values
    assert "'unsafe-inline'" not in directives["script-src"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_have_no_inline_script_so_the_csp_does_not_break_them(client, inspector, signed_in):
    if signed_in:
        client.force_login(inspector)
    page = client.get(reverse("home") if signed_in else reverse("login"))
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the page loads its scripts from files"
    for tag in scripts:
        assert " src=" in tag or 'type="application/json"' in tag, tag  # json_script data is not run
    assert not re.search(r"\son[a-z]+\s*=", html), "event-handler attributes are inline script"


@pytest.mark.django_db
def test_protective_headers(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_not_readable_by_scripts(client, inspector):
    response = client.post(reverse("login"), {"username": inspector.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- Login throttling ------------------------------------------------------------------------------------


def log_in(client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en"
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_user_out_from_that_address(client, inspector, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        log_in(client, inspector.username, "wrong-password")

    refused = log_in(client, inspector.username, DEMO_PASSWORD)  # the right password, too late
    assert refused.status_code == 429
    assert 'data-testid="locked-out"' in refused.content.decode()
    assert not signed_in(client)


def test_lockout_is_per_user_and_address(client, inspector, settings):
    other = RegulatorFactory(agency=inspector.agency)
    for _ in range(5):
        log_in(client, inspector.username, "wrong-password")

    assert log_in(client, other.username, DEMO_PASSWORD).status_code == 302  # another user, same address
    client.logout()
    assert log_in(client, inspector.username, DEMO_PASSWORD, address="198.51.100.20").status_code == 302


def test_four_wrong_passwords_still_let_the_right_one_in(client, inspector):
    for _ in range(4):
        assert log_in(client, inspector.username, "wrong-password").status_code == 200
    assert log_in(client, inspector.username, DEMO_PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_successful_login_resets_the_failures(client, inspector):
    for _ in range(4):
        log_in(client, inspector.username, "wrong-password")
    assert log_in(client, inspector.username, DEMO_PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):  # without the reset, these would make 8 failures: locked
        assert log_in(client, inspector.username, "wrong-password").status_code == 200
    assert log_in(client, inspector.username, DEMO_PASSWORD).status_code == 302
    assert signed_in(client)
