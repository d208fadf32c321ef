"""Property-based tests of the API against its own OpenAPI schema: schemathesis generates requests for every
GET operation from `/api/schema/` and sends them in-process through the WSGI application."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, settings

from shian.config.wsgi import application
from shian.core.models import Notification
from shian.core.services.tokens import api_scopes, api_token_create
from shian.core.tests.factories import region
from shian.registry.services import operator_create
from shian.registry.tests.factories import OperatorFactory, credit_code

# Loading the schema needs no database: schema generation introspects views without querying.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(method="GET")


@pytest.fixture
def credentials(db, inspector):
    """A county inspector with some data in and out of their county, and two ways to call as them: an API
    token with every scope (for operations that accept tokens) and a session (for those that do not)."""
    cache.clear()
    for n in range(3):
        operator = operator_create(
            by=inspector, name=f"姑苏餐饮店{n}", credit_code=credit_code(900 + n), region=region("320508")
        )
    OperatorFactory(region=region("320506"))
    Notification.objects.create(recipient=inspector, kind="test", title="整改期限将至", link=f"/operators/{operator.pk}/")
    _, key = api_token_create(user=inspector, name="schemathesis", scopes=sorted(api_scopes()), days=1)
    session = Client()
    session.force_login(inspector)
    return {
        "headers": {"Authorization": f"Token {key}"},
        "cookies": {django_settings.SESSION_COOKIE_NAME: session.cookies[django_settings.SESSION_COOKIE_NAME].value},
    }


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_get_operations_conform_to_schema(case, credentials):
    """No 5xx; every status, content type and body is the one the schema documents."""
    security = case.operation.definition.raw.get("security", [])
    if {"tokenAuth": []} in security:
        case.call_and_validate(headers=credentials["headers"])
    else:
        case.call_and_validate(cookies=credentials["cookies"])
