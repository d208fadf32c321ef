"""The public side of a food business: its QR code, its printable placard and its public page (扫码知食安)."""

import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
import segno
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from stdnum.cn import uscc

from shian.registry import qr
from shian.registry.choices import CanteenKind, LicenceKind, LicenceStatus, OperatorCategory, OperatorStatus
from shian.registry.models import Filing, Licence, Staff
from shian.registry.placard import placard_pdf
from shian.registry.rules import mod11_10_check_digit
from shian.registry.views.public import inline_disposition

from .factories import OperatorFactory

PHONE = "13912345678"
STAFF_NAME = "李秘密"
STAFF_ID = "11010519491231002X"
STAFF_PHONE = "13700001111"


def jy_number(serial: int, county: str = "320508", format_digit: str = "2") -> str:
    body = f"{format_digit}{county}{serial:06d}"
    return "JY" + body + mod11_10_check_digit(body)


def placeholder_credit_code() -> str:
    """A valid credit code whose embedded organisation code fails its check: the registry warns about it."""
    body = "92320508" + "00000000" + "1"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def operator(db):
    operator = OperatorFactory(
        name="老街面馆",
        credit_code=placeholder_credit_code(),
        legal_representative="王大厨",
        phone=PHONE,
        address="苏州市姑苏区平江路88号",
        latitude=Decimal("31.317123"),
        longitude=Decimal("120.629456"),
        daily_diners=321,
        special_foods=["infant_formula"],
    )
    Licence.objects.create(
        operator=operator,
        kind=LicenceKind.JY,
        number=jy_number(1),
        licensed_items="热食类食品制售",
        authority="苏州市姑苏区市场监督管理局",
        issued_on=date(2024, 3, 1),
        expires_on=date(2029, 2, 28),
    )
    Staff.objects.create(operator=operator, name=STAFF_NAME, id_number=STAFF_ID, phone=STAFF_PHONE)
    return operator


def page(client, operator, **params):
    return client.get(reverse("public-operator", args=[operator.public_id]), params)


# --- QR codes ---------------------------------------------------------------------------------------------


def test_the_qr_code_encodes_the_public_page_at_level_q():
    url = "https://shian.example.cn/p/abcDEF123_-xyz/"
    code = qr.operator_qr(url)
    assert code.error == "Q" and not code.is_micro
    assert code.matrix == segno.make(url, error="q", micro=False, boost_error=False).matrix


def test_the_public_url_is_built_from_the_request_or_a_base_url(rf, settings):
    settings.ALLOWED_HOSTS = ["gusu.example.cn"]
    assert qr.public_url("abc", base_url="https://shian.example.cn/") == "https://shian.example.cn/p/abc/"
    request = rf.get("/", HTTP_HOST="gusu.example.cn", secure=True)
    assert qr.public_url_for_request(request, "abc") == "https://gusu.example.cn/p/abc/"


def test_the_svg_qr_code_is_the_code_of_the_absolute_page_url(client, operator, settings):
    settings.ALLOWED_HOSTS = ["gusu.example.cn"]
    response = client.get(reverse("public-qr-svg", args=[operator.public_id]), HTTP_HOST="gusu.example.cn")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=86400"}
    url = f"http://gusu.example.cn/p/{operator.public_id}/"
    reference = io.BytesIO()
    segno.make(url, error="q", micro=False, boost_error=False).save(reference, kind="svg", border=4)

    def path_data(svg: bytes) -> str:
        return re.search(r'<path class="qrline"[^>]* d="([^"]+)"', svg.decode()).group(1)

    assert path_data(response.content) == path_data(reference.getvalue())
    assert b'viewBox="0 0 ' in response.content and b"<title>" in response.content
    # Another host gives another code: the URL is absolute.
    assert path_data(response.content) != path_data(qr.qr_svg(f"http://other.example.cn/p/{operator.public_id}/"))


def test_the_png_qr_code_has_its_quiet_zone_and_dark_modules_where_segno_puts_them(client, operator, settings):
    settings.ALLOWED_HOSTS = ["gusu.example.cn"]
    response = client.get(reverse("public-qr-png", args=[operator.public_id]), HTTP_HOST="gusu.example.cn")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"] and "public" in response["Cache-Control"]
    matrix = qr.operator_qr(f"http://gusu.example.cn/p/{operator.public_id}/").matrix
    image = Image.open(io.BytesIO(response.content)).convert("L")
    side = (len(matrix) + 2 * qr.BORDER) * qr.PNG_SCALE
    assert image.size == (side, side)

    def dark(row, col):  # the centre pixel of module (row, col), counted with the quiet zone
        return image.getpixel(((col + 0.5) * qr.PNG_SCALE, (row + 0.5) * qr.PNG_SCALE)) < 128

    assert not any(dark(r, c) for r in range(qr.BORDER) for c in range(len(matrix) + 2 * qr.BORDER))
    assert all(
        dark(r + qr.BORDER, c + qr.BORDER) == bool(matrix[r][c]) for r in range(len(matrix)) for c in range(len(matrix))
    )


def test_qr_codes_of_unknown_businesses_are_404(client, db):
    assert client.get(reverse("public-qr-svg", args=["no-such-id"])).status_code == 404
    assert client.get(reverse("public-qr-png", args=["no-such-id"])).status_code == 404


# --- Placard ------------------------------------------------------------------------------------------------


def test_the_placard_is_a_small_pdf_with_the_embedded_noto_font(operator):
    pdf = placard_pdf(operator, base_url="https://shian.example.cn")
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) < 100 * 1024
    assert b"NotoSansSC" in pdf and b"FontFile2" in pdf  # an embedded TrueType font, not a CID reference
    assert b"STSong" not in pdf


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_the_placard_text_names_the_business_its_licence_format_and_address(operator):
    pdf = placard_pdf(operator, base_url="https://shian.example.cn")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "老街面馆" in text
    assert jy_number(1) in text
    assert "平江路88号" in text
    with translation.override("zh-hans"):  # the placard is always in Chinese
        assert operator.get_category_display() in text
    assert f"https://shian.example.cn/p/{operator.public_id}/" in text
    assert PHONE not in text and STAFF_NAME not in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_the_placard_of_a_prepackaged_food_seller_shows_its_filing_number(db):
    seller = OperatorFactory(name="街角便利店", category=OperatorCategory.SALES)
    Filing.objects.create(operator=seller, number="YB13205080000123", filed_on=date(2025, 1, 2))
    pdf = placard_pdf(seller, base_url="https://shian.example.cn")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "YB13205080000123" in text


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is not installed")
def test_the_vector_qr_code_of_the_placard_draws_segnos_matrix_upright(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from shian.registry.placard import draw_qr

    url = "https://shian.example.cn/p/abcDEF123_-xyz/"
    matrix = qr.operator_qr(url).matrix
    modules = len(matrix) + 2 * qr.BORDER
    side = modules * 4  # points: 4 pt a module, 8 px at 144 dpi
    canvas = Canvas(str(tmp_path / "qr.pdf"), pagesize=(side, side))
    draw_qr(canvas, url, x=0, y=0, size=side)
    canvas.save()
    subprocess.run(["pdftoppm", "-r", "144", "-gray", "-png", "-singlefile", "qr.pdf", "qr"], cwd=tmp_path, check=True)
    image = Image.open(tmp_path / "qr.png").convert("L")

    def dark(row, col):
        return image.getpixel((col * 8 + 4, row * 8 + 4)) < 128

    assert not any(dark(r, c) for r in range(qr.BORDER) for c in range(modules))
    assert all(
        dark(r + qr.BORDER, c + qr.BORDER) == bool(matrix[r][c]) for r in range(len(matrix)) for c in range(len(matrix))
    )


def test_the_placard_route_serves_it_inline_with_the_business_name(client, operator):
    response = client.get(reverse("public-placard", args=[operator.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert f'filename="placard-{operator.public_id}.pdf"' in disposition
    assert "filename*=UTF-8''placard-%E8%80%81%E8%A1%97%E9%9D%A2%E9%A6%86.pdf" in disposition  # 老街面馆
    assert "sessionid" not in response.cookies


def test_an_ascii_name_is_the_plain_filename_and_unsafe_characters_go():
    assert inline_disposition('placard-A "B"/C.pdf', fallback="x.pdf") == 'inline; filename="placard-A BC.pdf"'


# --- Public page --------------------------------------------------------------------------------------------


def test_anyone_sees_the_public_facts_without_logging_in(client, operator):
    response = page(client, operator)
    assert response.status_code == 200
    html = response.content.decode()
    assert "老街面馆" in html
    assert jy_number(1) in html
    assert "热食类食品制售" in html
    assert "2029-02-28" in html
    assert "王大厨" in html  # the legal representative is on the licence, which is public
    assert "平江路88号" in html
    assert "姑苏区" in html
    assert 'data-testid="operator-status"' in html
    assert 'data-testid="public-special-foods"' in html
    assert 'data-testid="public-status-alert"' not in html


def test_the_public_page_shows_nothing_private(client, operator):
    assert operator.credit_code_warnings  # the file page warns about this credit code …
    html = page(client, operator).content.decode()
    for private in [
        PHONE,
        STAFF_NAME,
        STAFF_ID,
        operator.staff.get().masked_id_number,
        STAFF_PHONE,
        "GB 11714",
        "organisation code",
        "31.317123",
        "120.629456",
        "321",  # diners a day
        "Infant formula",  # special foods are only mentioned as such
        reverse("audit-object", args=["registry.operator", operator.pk]),
    ]:
        assert private not in html, private


def test_public_responses_set_no_cookie_and_are_cacheable(client, operator):
    for url in [
        reverse("public-operator", args=[operator.public_id]),
        reverse("public-lookup"),
        reverse("public-placard", args=[operator.public_id]),
        reverse("public-qr-svg", args=[operator.public_id]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "public" in response["Cache-Control"], url
    cache_control = page(client, operator)["Cache-Control"]
    assert set(cache_control.split(", ")) == {"public", "max-age=300"}


def test_a_logged_in_visitor_gets_no_new_session_cookie_either(client, operator, inspector):
    client.force_login(inspector)
    response = page(client, operator)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert "Cookie" in response["Vary"]


def test_an_unknown_public_id_is_the_friendly_404(client, db):
    response = client.get(reverse("public-operator", args=["no-such-id"]))
    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.content.decode()


def test_public_pages_answer_only_get(client, operator):
    assert client.post(reverse("public-operator", args=[operator.public_id])).status_code == 405


def test_a_revoked_business_says_so(client, operator):
    operator.status = OperatorStatus.REVOKED
    operator.save()
    Licence.objects.filter(operator=operator).update(status=LicenceStatus.REVOKED)
    html = page(client, operator, lang="en").content.decode()
    assert 'data-testid="public-status-alert"' in html
    assert "alert-danger" in html
    assert "revoked this business" in html
    assert "In force" not in html


def test_a_closed_business_says_so(client, operator):
    operator.status = OperatorStatus.CLOSED
    operator.save()
    html = page(client, operator, lang="en").content.decode()
    assert 'data-testid="public-status-alert"' in html and "has closed" in html


def test_an_expired_licence_is_shown_as_expired(client, operator):
    Licence.objects.filter(operator=operator).update(
        issued_on=timezone.localdate() - timedelta(days=2000), expires_on=timezone.localdate() - timedelta(days=1)
    )
    html = page(client, operator, lang="en").content.decode()
    assert "Expired" in html and "In force" not in html


def test_a_canteen_shows_its_kind(client, db):
    canteen = OperatorFactory(category=OperatorCategory.CANTEEN, canteen_kind=CanteenKind.SCHOOL)
    html = page(client, canteen, lang="en").content.decode()
    assert "Institutional canteen · School" in html


def test_the_language_is_chosen_with_a_get_form(client, operator):
    english = page(client, operator, lang="en")
    assert english["Content-Language"] == "en"
    assert "Licences and filings" in english.content.decode()
    html = page(client, operator).content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'name="lang" value="en"' in html and "csrfmiddlewaretoken" not in html


def test_apps_add_sections_to_the_public_page(client, operator, monkeypatch):
    from shian.registry import public_sections

    def grade_section(op):
        return public_sections.Section("registry/public/section_licences.html", {"licences": [], "filings": []}, 5)

    monkeypatch.setattr(public_sections, "_providers", [*public_sections._providers, grade_section])
    sections = public_sections.sections_for(operator)
    assert [s.order for s in sections] == [5, 10]
    html = page(client, operator, lang="en").content.decode()
    assert html.count('data-testid="public-licences"') == 2


# --- Lookup -------------------------------------------------------------------------------------------------


def test_looking_up_a_licence_number_opens_the_public_page(client, operator):
    response = client.get(reverse("public-lookup"), {"number": f" {jy_number(1).lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("public-operator", args=[operator.public_id])


def test_looking_up_a_filing_number_opens_the_public_page(client, db):
    seller = OperatorFactory(category=OperatorCategory.SALES)
    Filing.objects.create(operator=seller, number="YB13205080000123")
    response = client.get(reverse("public-lookup"), {"number": "YB13205080000123", "lang": "en"})
    assert response["Location"] == reverse("public-operator", args=[seller.public_id]) + "?lang=en"


def test_an_unknown_number_is_reported_on_the_lookup_page(client, operator):
    response = client.get(reverse("public-lookup"), {"number": jy_number(2), "lang": "en"})
    assert response.status_code == 200
    assert 'data-testid="public-lookup-not-found"' in response.content.decode()


def test_the_lookup_page_opens_empty(client, db):
    response = client.get(reverse("public-lookup"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="public-lookup-form"' in html and "public-lookup-not-found" not in html
