"""OpenAPI generation: drf-spectacular's AutoSchema, plus the error responses each operation can give."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi

from .errors import ApiErrorSerializer

ERROR_DESCRIPTIONS = {
    400: _("Invalid input; `details` gives the messages for each field."),
    401: _("No credentials, or an unknown, expired or revoked API token."),
    403: _("Signed in, but the role or the token's scopes do not allow this call."),
    404: _("Not found or outside the caller's jurisdiction (never 403, so nothing leaks); or a stale cursor."),
    429: _("Too many anonymous requests; retry after `Retry-After` seconds."),
}


class AutoSchema(openapi.AutoSchema):
    """Documents the API's one error format (`{"error": {"code", "message", "details"}}`) for the status
    codes an operation can answer with, so clients and schemathesis know every response."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self._allow_empty_filters(operation)
        error = {"application/json": {"schema": self.resolve_serializer(ApiErrorSerializer, "response").ref}}
        for status in self._error_statuses(operation):
            operation["responses"].setdefault(
                str(status), {"content": error, "description": str(ERROR_DESCRIPTIONS[status])}
            )
        return operation

    def _allow_empty_filters(self, operation) -> None:
        """An empty filter value means "no filter" (django-filter; list pages send empty form fields)."""
        filterset_class = getattr(self.view, "filterset_class", None)
        names = set(filterset_class.base_filters) if filterset_class else set()
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] in names and not parameter.get("required"):
                parameter["allowEmptyValue"] = True

    def _error_statuses(self, operation) -> list[int]:
        parameters = operation.get("parameters", [])
        security = operation.get("security", [])
        anonymous = not security or {} in security
        statuses = []
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            statuses.append(400)
        if not anonymous:
            statuses += [401, 403]
        # An object named in the path or by required query parameters, or a stale cursor, may not be found.
        if any(p["in"] == "path" or p.get("required") or p["name"] == "cursor" for p in parameters):
            statuses.append(404)
        if anonymous and self.view.get_throttles():
            statuses.append(429)
        return statuses
