"""Property-based tests of the API against its own OpenAPI schema: schemathesis generates requests for every
GET operation from `/api/schema/` and sends them in-process through the WSGI application."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from shian.config.wsgi import application
from shian.core.services.tokens import api_scopes, api_token_create
from shian.core.tests.factories import region
from shian.registry.services import operator_create
from shian.registry.tests.factories import OperatorFactory, credit_code


def closed_to_tokens(ctx) -> bool:
    return {"tokenAuth": []} not in ctx.operation.definition.raw.get("security", [])


# Loading the schema needs no database: schema generation introspects views without querying.
schema = (
    schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    .include(method="GET")
    .exclude(closed_to_tokens)  # views that name no scope for GET refuse tokens (see test_tokens.py)
)
# Django's form fields refuse NUL characters in every string (PostgreSQL cannot store them): a 400 by design.
schema.config.generation.update(allow_x00=False)


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Requests go straight to the WSGI application, whose request signals would close the database
    connection that holds the test's transaction (on PostgreSQL); Django's test client unhooks them too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(wsgi_in_test_transaction, inspector):
    """An API token with every scope, acting as a county inspector, with data in and out of the county."""
    cache.clear()
    for n in range(3):
        operator_create(by=inspector, name=f"姑苏餐饮店{n}", credit_code=credit_code(900 + n), region=region("320508"))
    OperatorFactory(region=region("320506"))
    _, key = api_token_create(user=inspector, name="schemathesis", scopes=sorted(api_scopes()), days=1)
    return {"Authorization": f"Token {key}"}


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_get_operations_conform_to_schema(case, token_header):
    """No 5xx; every status, content type and body is one the schema documents; valid input is accepted
    and invalid input rejected."""
    case.call_and_validate(headers=token_header)
