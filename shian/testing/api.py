"""API clients for tests: one acting through a token with the given scopes, as an integration does."""

from rest_framework.test import APIClient

from shian.core.services.tokens import api_token_create


def client_with_token(user, scopes: list[str], name: str = "integration") -> APIClient:
    _token, key = api_token_create(user=user, name=name, scopes=scopes, days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client
