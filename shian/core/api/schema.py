"""OpenAPI generation: drf-spectacular's AutoSchema, plus the error responses each operation can give."""

from drf_spectacular import openapi
from .errors import ApiErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "Invalid input; `details` gives the messages for each field.",
    401: "No credentials, or an unknown, expired or revoked API token.",
    403: "Signed in, but the role or the token's scopes do not allow this call.",
    404: "Not found, or outside the caller's jurisdiction (never 403, so nothing leaks); also an invalid cursor.",
    429: "Too many anonymous requests; retry after the `Retry-After` seconds.",
}


class AutoSchema(openapi.AutoSchema):
    """Documents the API's one error format (`{"error": {"code", "message", "details"}}`) for the status
    codes an operation can answer with, so clients and schemathesis know every response."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        error = {"application/json": {"schema": self.resolve_serializer(ApiErrorSerializer, "response").ref}}
        for status in self._error_statuses(operation):
            operation["responses"].setdefault(
                str(status), {"content": error, "description": ERROR_DESCRIPTIONS[status]}
            )
        return operation

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
