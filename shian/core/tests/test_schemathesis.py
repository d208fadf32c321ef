"""Property-based tests of the API against its own OpenAPI schema (schemathesis, in-process through WSGI)."""

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings

from shian.config.wsgi import application
from shian.core.services.tokens import api_scopes, api_token_create
from shian.core.tests.factories import region
from shian.registry.services import operator_create
from shian.registry.tests.factories import OperatorFactory, credit_code


@pytest.fixture
def api_schema(db, inspector):
    cache.clear()
    for n in range(3):
        operator_create(by=inspector, name=f"姑苏餐饮店{n}", credit_code=credit_code(900 + n), region=region("320508"))
    OperatorFactory(region=region("320506"))
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    return schema.include(method="GET")


@pytest.fixture
def token_key(inspector):
    return api_token_create(user=inspector, name="schemathesis", scopes=list(api_scopes()), days=1)[1]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_get_operations_conform_to_schema(case, token_key):
    case.call_and_validate(headers={"Authorization": f"Token {token_key}"})
