"""Public pages (扫码知食安): what anyone who scans a business's QR code may see, without logging in.

These responses carry no cookie (no session, no CSRF token: every request is a GET) and may be cached by
browsers and proxies for a short time. The language comes from `?lang=` (a GET form on the page), the
language cookie or the browser, so a cached page never depends on a per-visitor token.
"""

import re
from functools import wraps
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..models import Filing, Licence, Operator
from ..placard import placard_pdf
from ..public_sections import sections_for
from ..qr import public_url_for_request, qr_png, qr_svg

PAGE_MAX_AGE = 300  # seconds: a change of status or licence shows within five minutes
QR_MAX_AGE = 86400  # a QR code only encodes the public id, which never changes
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def public_view(*, max_age: int, html: bool = True):
    """GET/HEAD only, cacheable for `max_age` seconds by anyone; `?lang=` picks the language of an HTML page."""

    def decorator(view):
        @require_safe
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            language = request.GET.get("lang") if html else None
            if language in LANGUAGES:
                with translation.override(language):
                    response = view(request, *args, **kwargs)
                response.headers.setdefault("Content-Language", language)
            else:
                response = view(request, *args, **kwargs)
            patch_cache_control(response, public=True, max_age=max_age)
            if html:
                # Without ?lang= the language comes from the language cookie or Accept-Language.
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response

        return wrapped

    return decorator


def public_operator(public_id: str, *related: str) -> Operator:
    """The operator behind a QR code, whatever its status; not region-scoped: the public page shows only
    published facts. An unknown id is a 404."""
    return get_object_or_404(Operator.objects.select_related(*related), public_id=public_id)


def public_id_for_number(number: str) -> str | None:
    """The public id of the business holding licence or filing `number` (exact match on unique columns)."""
    found = Licence.objects.filter(number=number.upper()).values_list("operator__public_id", flat=True).first()
    return found or Filing.objects.filter(number=number).values_list("operator__public_id", flat=True).first()


def with_language(request, url: str) -> str:
    """`url` keeping the visitor's ?lang= choice."""
    language = request.GET.get("lang")
    return f"{url}?{urlencode({'lang': language})}" if language in LANGUAGES else url


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Licence or filing number"),
        max_length=40,
        help_text=_("As printed on the licence: SC or JY followed by 14 digits."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split())


@public_view(max_age=PAGE_MAX_AGE)
def lookup(request):
    form = LookupForm(request.GET if "number" in request.GET else None)
    not_found = False
    if form.is_valid():
        public_id = public_id_for_number(form.cleaned_data["number"])
        if public_id:
            return redirect(with_language(request, reverse("public-operator", args=[public_id])))
        not_found = True
    return render(request, "registry/public/lookup.html", {"form": form, "not_found": not_found})


@public_view(max_age=PAGE_MAX_AGE)
def operator_page(request, public_id):
    operator = public_operator(public_id, "region__parent")
    context = {
        "operator": operator,
        "sections": sections_for(operator),
        "lookup_url": with_language(request, reverse("public-lookup")),
        "placard_url": reverse("public-placard", args=[operator.public_id]),
    }
    return render(request, "registry/public/operator.html", context)


@public_view(max_age=QR_MAX_AGE, html=False)
def qr_svg_view(request, public_id):
    operator = public_operator(public_id)
    svg = qr_svg(public_url_for_request(request, operator.public_id), title=operator.name)
    return HttpResponse(svg, content_type="image/svg+xml")


@public_view(max_age=QR_MAX_AGE, html=False)
def qr_png_view(request, public_id):
    operator = public_operator(public_id)
    return HttpResponse(qr_png(public_url_for_request(request, operator.public_id)), content_type="image/png")


_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def inline_disposition(filename: str, *, fallback: str) -> str:
    """`inline` with the filename; a non-ASCII name goes in filename* (RFC 6266) beside an ASCII fallback."""
    filename = _UNSAFE_IN_FILENAME.sub("", filename)
    if filename.isascii():
        return f'inline; filename="{filename}"'
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@public_view(max_age=PAGE_MAX_AGE, html=False)
def placard(request, public_id):
    operator = public_operator(public_id)
    pdf = placard_pdf(operator, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = inline_disposition(
        f"placard-{operator.name}.pdf", fallback=f"placard-{operator.public_id}.pdf"
    )
    return response


urlpatterns = [
    path("", lookup, name="public-lookup"),
    path("<str:public_id>/", operator_page, name="public-operator"),
    path("<str:public_id>/qr.svg", qr_svg_view, name="public-qr-svg"),
    path("<str:public_id>/qr.png", qr_png_view, name="public-qr-png"),
    path("<str:public_id>/placard.pdf", placard, name="public-placard"),
]
