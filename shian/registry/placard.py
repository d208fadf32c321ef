"""The printable A5 food-safety information placard (食品安全信息公示牌) of a food business, as a PDF.

The placard names the business, its licence or filing number, its business format and address, and
carries the QR code of its public page. It is always in Chinese: it hangs in a shop in China. Text is set
in Noto Sans SC, vendored under shian/static/fonts/ and embedded as a subset, so the file is small and
shows the same on any machine (never ReportLab's non-embedded CID fonts, which show empty boxes where
no Chinese font is installed).
"""

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame, Paragraph, Spacer, Table, TableStyle

from .choices import LicenceKind, LicenceStatus, OperatorCategory
from .qr import BORDER, operator_qr, public_url

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
REGULAR = "NotoSansSC"
BOLD = "NotoSansSC-Bold"
LANGUAGE = "zh-hans"

INK = colors.HexColor("#1d273b")
MUTED = colors.HexColor("#667382")
ACCENT = colors.HexColor("#1d5aa8")
RULE = colors.HexColor("#dce1e7")

PAGE_W, PAGE_H = A5
MARGIN = 14 * mm
FRAME_INSET = 6 * mm
BAND_H = 24 * mm
QR_MIN = 52 * mm  # about 1.3 mm a module: reads from a metre away
QR_MAX = 72 * mm


@cache
def register_fonts() -> None:
    """Register the vendored Noto Sans SC with ReportLab (once per process)."""
    pdfmetrics.registerFont(TTFont(REGULAR, FONT_DIR / "NotoSansSC_400Regular.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, FONT_DIR / "NotoSansSC_700Bold.ttf"))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def permits(operator, today) -> list[tuple[str, str]]:
    """(label, number) of what the placard shows: the licences in force; else the filings not cancelled;
    else the newest licence (the public page behind the QR code tells its state)."""
    licences = list(operator.licences.all())
    in_force = [lic for lic in licences if lic.status == LicenceStatus.VALID and not lic.is_expired(today)]
    filings = [filing for filing in operator.filings.all() if filing.cancelled_on is None]
    if in_force:
        return [(licence_label(lic.kind), lic.number) for lic in in_force]
    if filings:
        return [(_("Filing number"), filing.number) for filing in filings]
    if licences:
        return [(licence_label(licences[0].kind), licences[0].number)]
    return [(_("Licence number"), "—")]


def licence_label(kind: str) -> str:
    return _("Food production licence no.") if kind == LicenceKind.SC else _("Food business licence no.")


def business_format(operator) -> str:
    label = operator.get_category_display()
    if operator.category == OperatorCategory.CANTEEN and operator.canteen_kind:
        label = f"{label}（{operator.get_canteen_kind_display()}）"
    return label


def placard_pdf(operator, *, base_url: str) -> bytes:
    """The placard of `operator` as PDF bytes; its QR code points at the public page under `base_url`."""
    register_fonts()
    url = public_url(operator.public_id, base_url=base_url)
    out = io.BytesIO()
    with translation.override(LANGUAGE):
        title = _("Food safety information placard")
        canvas = Canvas(out, pagesize=A5, pageCompression=1, invariant=1)
        canvas.setTitle(f"{title} · {operator.name}")
        canvas.setAuthor("Shian 食安")
        canvas.setSubject(url)
        _draw(canvas, operator, title=title, url=url)
        canvas.showPage()
        canvas.save()
    return out.getvalue()


def _draw(canvas: Canvas, operator, *, title: str, url: str) -> None:
    inner_w = PAGE_W - 2 * MARGIN
    # Frame and title band.
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.roundRect(FRAME_INSET, FRAME_INSET, PAGE_W - 2 * FRAME_INSET, PAGE_H - 2 * FRAME_INSET, 4 * mm)
    band_top = PAGE_H - FRAME_INSET
    canvas.setFillColor(ACCENT)
    canvas.roundRect(FRAME_INSET, band_top - BAND_H, PAGE_W - 2 * FRAME_INSET, BAND_H, 4 * mm, stroke=0, fill=1)
    canvas.rect(FRAME_INSET, band_top - BAND_H, PAGE_W - 2 * FRAME_INSET, 4 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(BOLD, 22)
    canvas.drawCentredString(PAGE_W / 2, band_top - BAND_H / 2 - 8, title)

    # The caption and the address the QR code encodes, at the bottom.
    caption_y = FRAME_INSET + 16 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 7)
    canvas.drawCentredString(PAGE_W / 2, FRAME_INSET + 6 * mm, url)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 12)
    canvas.drawCentredString(PAGE_W / 2, caption_y, _("Scan to see the licence, inspection and sampling results"))
    qr_floor = caption_y + 6 * mm

    # Name and facts below the band, shrunk to fit when a name or address is long.
    name_style = ParagraphStyle(
        "name", fontName=BOLD, fontSize=17, leading=22, alignment=TA_CENTER, textColor=INK, wordWrap="CJK"
    )
    label_style = ParagraphStyle("label", fontName=BOLD, fontSize=10, leading=14, textColor=MUTED, wordWrap="CJK")
    value_style = ParagraphStyle("value", fontName=REGULAR, fontSize=11, leading=15, textColor=INK, wordWrap="CJK")
    rows = permits(operator, timezone.localdate())
    rows += [(_("Business format"), business_format(operator)), (_("Address"), operator.address or "—")]
    table = Table(
        [[Paragraph(escape(label), label_style), Paragraph(escape(value), value_style)] for label, value in rows],
        colWidths=[36 * mm, inner_w - 36 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 2.2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2 * mm),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
            ]
        )
    )
    name = Paragraph(escape(operator.name), name_style)
    top = band_top - BAND_H - 7 * mm
    gap = 5 * mm
    body = KeepInFrame(inner_w, top - (qr_floor + QR_MIN + gap), [name, Spacer(1, gap), table], mode="shrink")
    used = body.wrapOn(canvas, inner_w, top - (qr_floor + QR_MIN + gap))[1]
    body.drawOn(canvas, MARGIN, top - used)

    # The QR code: as large as the space left allows, centred in it.
    space = top - used - gap - qr_floor
    size = max(QR_MIN, min(QR_MAX, space - gap))
    draw_qr(canvas, url, x=(PAGE_W - size) / 2, y=qr_floor + (space - size) / 2, size=size)


def draw_qr(canvas: Canvas, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code as vector shapes: one rectangle per run of dark modules in a row, quiet zone included."""
    matrix = operator_qr(url).matrix
    modules = len(matrix) + 2 * BORDER
    unit = size / modules
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        row_y = y + size - (row_index + BORDER + 1) * unit
        col = 0
        while col < len(row):
            if not row[col]:
                col += 1
                continue
            start = col
            while col < len(row) and row[col]:
                col += 1
            path.rect(x + (start + BORDER) * unit, row_y, (col - start) * unit, unit)
    canvas.drawPath(path, stroke=0, fill=1)
