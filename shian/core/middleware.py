import re

from .choices import AuditSource
from .context import new_request_id, operation

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Give every request an id (a caller's valid X-Request-ID is kept) and mark its source as web or API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else new_request_id()
        source = AuditSource.API if request.path.startswith("/api/") else AuditSource.WEB
        request.request_id = request_id
        with operation(source=source, request_id=request_id, client_ip=request.META.get("REMOTE_ADDR")):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
