"""Responses several apps send alike."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser, saved under `filename` (a non-ASCII name goes in filename*, RFC 6266)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
    return response
