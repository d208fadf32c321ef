from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from ..models import ApiToken
from ..services.tokens import api_token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token shian_<prefix>_<secret>`: acts as the token's user, within its scopes."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be 'Token <key>'."))
        token = api_token_authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("Unknown, expired or revoked API token."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenHasScope(permissions.BasePermission):
    """A token may call a view only with the scope the view names in `required_scopes` for the method
    ({"GET": "x:read", "POST": "x:write"}). Session users are governed by their roles instead."""

    message = _("This API token lacks the scope this call needs.")

    @staticmethod
    def scope_for(view, method: str) -> str | None:
        """The scope a token needs to call `view` with `method`; None when the view is closed to tokens."""
        scopes = getattr(view, "required_scopes", {})
        method = "GET" if method.upper() in permissions.SAFE_METHODS else method.upper()
        return scopes.get(method) or scopes.get("*")

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return True
        needed = self.scope_for(view, request.method)
        if needed is None:
            return False  # views that do not name a scope are closed to tokens
        return request.auth.allows(needed)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_requirement(self, auto_schema):
        """Offer token auth only on operations a token may call (those that name a scope)."""
        if TokenHasScope.scope_for(auto_schema.view, auto_schema.method) is None:
            return None
        return {self.name: []}

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token shian_<prefix>_<secret>`; the token's scopes limit what it may call.",
        }
