"""QR codes of food businesses: each one points at the business's public page, /p/<public_id>/.

The URL is absolute. A view builds it from the request (`public_url_for_request`), so the code works
behind any host name without a setting; the placard and command-line callers pass a base URL.
"""

import io

import segno
from django.urls import reverse

# Level Q restores up to 25% of the symbol: a placard in a kitchen or a shop window gets dirty and worn.
ERROR_LEVEL = "q"
# The quiet zone: 4 light modules on every side (ISO/IEC 18004:2015 §6.3.8).
BORDER = 4
PNG_SCALE = 10


def public_path(public_id: str) -> str:
    return reverse("public-operator", args=[public_id])


def public_url(public_id: str, *, base_url: str) -> str:
    """The absolute URL of a public page under `base_url` (scheme and host, e.g. https://shian.example.cn)."""
    return base_url.rstrip("/") + public_path(public_id)


def public_url_for_request(request, public_id: str) -> str:
    return request.build_absolute_uri(public_path(public_id))


def operator_qr(url: str) -> segno.QRCode:
    """The QR code of a public page URL: always a full QR code (never Micro QR), level Q exactly."""
    return segno.make_qr(url, error=ERROR_LEVEL, boost_error=False)


def qr_svg(url: str, *, title: str = "") -> bytes:
    """A scalable SVG (viewBox only, no fixed size) with a white quiet zone, readable on any background."""
    out = io.BytesIO()
    operator_qr(url).save(
        out, kind="svg", border=BORDER, light="#fff", omitsize=True, xmldecl=True, title=title or None
    )
    return out.getvalue()


def qr_png(url: str, *, scale: int = PNG_SCALE) -> bytes:
    """A black-and-white PNG, `scale` pixels a module, with its quiet zone."""
    out = io.BytesIO()
    operator_qr(url).save(out, kind="png", border=BORDER, scale=scale)
    return out.getvalue()
